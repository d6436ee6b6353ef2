import { describe, expect, it } from "vitest";
import { createFakeInstagram } from "../src/index.ts";
import { ALL_SCOPES, graph, graphErrorOf, longLivedToken } from "./helpers.ts";

async function setUp() {
  const fake = createFakeInstagram();
  const token = await longLivedToken(fake, { scope: ALL_SCOPES });
  return { fake, token, ig: fake.users[0]?.userId ?? "" };
}

describe("insights", () => {
  it("account insights: total_value and time_series shapes, stable numbers", async () => {
    const { fake, token, ig } = await setUp();
    const res = await graph(fake, "GET", `/v25.0/${ig}/insights`, token, {
      metric: "views,reach,profile_views",
      period: "day",
      metric_type: "total_value",
    });
    expect(res.status).toBe(200);
    const data = res.body.data as {
      name: string;
      period: string;
      total_value: { value: number };
      id: string;
    }[];
    expect(data.map((d) => d.name)).toEqual(["views", "reach", "profile_views"]);
    expect(data[0]).toMatchObject({
      period: "day",
      id: `${ig}/insights/views/day`,
      total_value: { value: expect.any(Number) },
    });
    const again = await graph(fake, "GET", `/me/insights`, token, {
      metric: "views",
      period: "day",
      metric_type: "total_value",
    });
    expect((again.body.data as typeof data)[0]?.total_value.value).toBe(data[0]?.total_value.value);

    const now = Math.floor(fake.clock.now() / 1000);
    const series = await graph(fake, "GET", `/${ig}/insights`, token, {
      metric: "follower_count",
      period: "day",
      since: String(now - 7 * 86_400),
      until: String(now),
    });
    const values = (series.body.data as { values: { value: number; end_time: string }[] }[])[0]?.values;
    expect(values).toHaveLength(7);
    expect(values?.[0]?.end_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
  });

  it("refuses unknown and removed metrics (impressions on v22+), wrong period or metric_type, > 30 days", async () => {
    const { fake, token, ig } = await setUp();
    const bad: Record<string, string>[] = [
      { metric: "impressions", period: "day" },
      { metric: "reach,bogus", period: "day" },
      { metric: "views", period: "day" },
      { metric: "views", period: "week", metric_type: "total_value" },
      { metric: "follower_count", period: "day", metric_type: "total_value" },
      { period: "day" },
      { metric: "reach", period: "day", since: "1700000000", until: String(1700000000 + 31 * 86_400) },
    ];
    for (const params of bad) {
      const res = await graph(fake, "GET", `/v25.0/${ig}/insights`, token, params);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(graphErrorOf(res.body).code).toBe(100);
    }
    const unknown = await graph(fake, "GET", `/v25.0/${ig}/insights`, token, {
      metric: "impressions",
      period: "day",
    });
    expect(graphErrorOf(unknown.body).message).toMatch(
      /^\(#100\) metric\[0\] must be one of the following values: reach, views/,
    );
  });

  it("impressions still answers below v22 only before 2025-04-21 on the fake clock", async () => {
    const fake = createFakeInstagram({ now: () => Date.UTC(2025, 2, 1) });
    const token = await longLivedToken(fake, { scope: ALL_SCOPES });
    const old = await graph(fake, "GET", "/v21.0/me/insights", token, {
      metric: "impressions",
      period: "day",
    });
    expect(old.status).toBe(200);
    const current = await graph(fake, "GET", "/v22.0/me/insights", token, {
      metric: "impressions",
      period: "day",
    });
    expect(current.status).toBe(400);
    fake.clock.advance(60 * 86_400_000);
    expect(
      (await graph(fake, "GET", "/v21.0/me/insights", token, { metric: "impressions", period: "day" }))
        .status,
    ).toBe(400);
  });

  it("media insights: lifetime values per product type; plays and wrong-type metrics are code 100", async () => {
    const { fake, token } = await setUp();
    const image = fake.users[0]?.media.find((m) => m.mediaType === "IMAGE");
    const video = fake.users[0]?.media.find((m) => m.mediaType === "VIDEO");
    const res = await graph(fake, "GET", `/v25.0/${image?.id}/insights`, token, {
      metric: "reach,likes,saved,views,total_interactions,shares",
    });
    expect(res.status).toBe(200);
    const data = res.body.data as { name: string; period: string; values: { value: number }[] }[];
    expect(data).toHaveLength(6);
    expect(data[0]).toMatchObject({
      name: "reach",
      period: "lifetime",
      values: [{ value: expect.any(Number) }],
    });
    for (const metric of ["plays", "impressions", "ig_reels_avg_watch_time"]) {
      const r = await graph(fake, "GET", `/v25.0/${image?.id}/insights`, token, { metric });
      expect(graphErrorOf(r.body).code).toBe(100);
    }
    const reel = await graph(fake, "GET", `/${video?.id}/insights`, token, {
      metric: "ig_reels_avg_watch_time,views",
    });
    expect(reel.status).toBe(200);
    const other = fake.users[1]?.media[0]?.id;
    expect(
      graphErrorOf((await graph(fake, "GET", `/${other}/insights`, token, { metric: "reach" })).body),
    ).toMatchObject({ code: 100, error_subcode: 33 });
    const basic = await longLivedToken(fake);
    expect(
      graphErrorOf((await graph(fake, "GET", `/${image?.id}/insights`, basic, { metric: "reach" })).body)
        .code,
    ).toBe(10);
  });
});
