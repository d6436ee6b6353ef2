// @vitest-environment node
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { InstagramConnect, useInstagramConnect, useInstagramMedia } from "../src/index.ts";

function Headless() {
  const ig = useInstagramConnect({ relayUrl: "https://relay.example.test" });
  const media = useInstagramMedia({ relayUrl: "https://relay.example.test" });
  return (
    <p>
      {ig.state}/{media.status}
    </p>
  );
}

describe("server rendering", () => {
  it("renderToString works without window, document or storage", () => {
    expect(typeof window).toBe("undefined");
    expect(typeof localStorage).toBe("undefined");
    const html = renderToString(<InstagramConnect relayUrl="https://relay.example.test" className="ig" />);
    // Neutral until storage is read on the client: no "Connect Instagram" flash for returning users.
    expect(html).toContain('data-state="loading"');
    expect(html).not.toContain("Connect Instagram");
    expect(html).toContain('role="status"');
    expect(html).toContain('class="ic ig"');
  });

  it("the headless hooks render on the server in their neutral loading state", () => {
    expect(renderToString(<Headless />).replace(/<!-- -->/g, "")).toBe("<p>loading/pending</p>");
  });
});
