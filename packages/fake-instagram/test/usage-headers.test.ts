import { describe, expect, it } from "vitest";
import { createFakeInstagram } from "../src/index.ts";
import { BASE, longLivedToken } from "./helpers.ts";

type BusinessUsage = Record<
  string,
  {
    type: string;
    call_count: number;
    total_cputime: number;
    total_time: number;
    estimated_time_to_regain_access: number;
  }[]
>;

describe("usage headers", () => {
  it("every Graph response carries parseable X-App-Usage and X-Business-Use-Case-Usage", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    const paths = [
      `/me?access_token=${token}`,
      `/v25.0/me/media?access_token=${token}`,
      "/me?access_token=bad",
    ];
    for (const path of paths) {
      const res = await fake.fetch(`${BASE}${path}`);
      const app = JSON.parse(res.headers.get("x-app-usage") ?? "null") as Record<string, number>;
      expect(Object.keys(app).sort()).toEqual(["call_count", "total_cputime", "total_time"]);
      expect(JSON.parse(res.headers.get("x-business-use-case-usage") ?? "null")).toEqual(expect.any(Object));
    }
    const res = await fake.fetch(`${BASE}/me?access_token=${token}`);
    const business = JSON.parse(res.headers.get("x-business-use-case-usage") ?? "{}") as BusinessUsage;
    expect(Object.keys(business)).toEqual(["17841477965412211"]);
    expect(business["17841477965412211"]?.[0]).toEqual({
      type: "instagram",
      call_count: 1,
      total_cputime: 1,
      total_time: 1,
      estimated_time_to_regain_access: 0,
    });
  });

  it("setUsage changes the numbers, globally or for one account", async () => {
    const fake = createFakeInstagram();
    const jane = await longLivedToken(fake);
    const max = await longLivedToken(fake, { userId: "max.creator" });
    fake.setUsage({ appCallCount: 87, businessCallCount: 40 });
    fake.setUsage({ userId: "max.creator", businessCallCount: 100, estimatedTimeToRegainAccess: 12 });

    const janeRes = await fake.fetch(`${BASE}/me?access_token=${jane}`);
    expect(JSON.parse(janeRes.headers.get("x-app-usage") ?? "{}")).toMatchObject({ call_count: 87 });
    const janeUsage = JSON.parse(janeRes.headers.get("x-business-use-case-usage") ?? "{}") as BusinessUsage;
    expect(janeUsage["17841477965412211"]?.[0]).toMatchObject({
      call_count: 40,
      estimated_time_to_regain_access: 0,
    });

    const maxRes = await fake.fetch(`${BASE}/me?access_token=${max}`);
    const maxUsage = JSON.parse(maxRes.headers.get("x-business-use-case-usage") ?? "{}") as BusinessUsage;
    expect(maxUsage["17841400000000037"]?.[0]).toMatchObject({
      call_count: 100,
      estimated_time_to_regain_access: 12,
    });
  });
});
