import type { FakeMedia, FakeMediaType, FakeUser, FakeUserInput } from "./types.ts";

const DAY_MS = 86_400_000;
// Fixed, so seeded media and ids are identical on every run (and no randomness at module scope).
const NEWEST_POST = Date.UTC(2026, 9, 1, 12, 0, 0);
const CAPTIONS = [
  "Morning light",
  "Behind the scenes",
  "New drop",
  "Studio day",
  "Weekend notes",
  "Field trip",
];

/** Instagram's timestamp format: `2026-10-01T12:00:00+0000`. */
export function instagramTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+0000`;
}

function mediaTypeAt(index: number): FakeMediaType {
  if (index % 5 === 2) return "VIDEO";
  if (index % 7 === 3) return "CAROUSEL_ALBUM";
  return "IMAGE";
}

/** `count` media items, newest first, ids derived from `seed` (a digit string). */
export function generateMedia(seed: string, count: number): FakeMedia[] {
  const items: FakeMedia[] = [];
  for (let i = 0; i < count; i++) {
    const id = `1789${seed.slice(-7).padStart(7, "0")}${String(100000 + i).slice(-6)}`;
    const mediaType = mediaTypeAt(i);
    const item: FakeMedia = {
      id,
      mediaType,
      timestamp: instagramTimestamp(NEWEST_POST - i * DAY_MS - i * 3_600_000),
      shortcode: `C${seed.slice(-4)}x${i.toString(36)}Q`,
      // One copyrighted video per account: Instagram omits its media_url.
      copyrighted: i === 7,
      likeCount: (i * 37) % 500,
      commentsCount: (i * 11) % 40,
    };
    if (i % 4 !== 1) item.caption = `${CAPTIONS[i % CAPTIONS.length]} #${i + 1}`;
    if (mediaType === "CAROUSEL_ALBUM") {
      item.children = [0, 1, 2].map((c) => ({ id: `${id}${c}`, mediaType: c === 2 ? "VIDEO" : "IMAGE" }));
    }
    items.push(item);
  }
  return items;
}

/** The accounts every fake starts with: one BUSINESS, one creator stored as `Media_Creator`. */
export function seedUsers(): FakeUser[] {
  return [
    {
      id: "27640875392278831",
      userId: "17841477965412211",
      username: "jane.doe",
      name: "Jane Doe",
      accountType: "BUSINESS",
      biography: "Ceramics studio in Lisbon.",
      followersCount: 1234,
      followsCount: 56,
      media: generateMedia("27640875392278831", 30),
    },
    {
      id: "28978671838402975",
      userId: "17841400000000037",
      username: "max.creator",
      name: "Max Creator",
      accountType: "Media_Creator",
      biography: "Travel clips every Friday.",
      followersCount: 98_765,
      followsCount: 321,
      media: generateMedia("28978671838402975", 31),
    },
  ];
}

/** A new account from `input`, with deterministic 17-digit ids from `serial` where none are given. */
export function buildUser(input: FakeUserInput, serial: number): FakeUser {
  const id = input.id ?? `3${String(serial * 2 + 1).padStart(16, "0")}`;
  const userId = input.userId ?? `178414${String(serial * 2 + 1).padStart(11, "0")}`;
  if (!/^\d{17}$/.test(id) || !/^\d{17}$/.test(userId))
    throw new TypeError("fake user ids must be 17 digits");
  return {
    id,
    userId,
    username: input.username ?? `fake.user${serial}`,
    name: input.name ?? `Fake User ${serial}`,
    accountType: input.accountType ?? "BUSINESS",
    biography: input.biography ?? "",
    followersCount: input.followersCount ?? 10 * serial,
    followsCount: input.followsCount ?? serial,
    media: input.media ?? generateMedia(id, input.mediaCount ?? 30),
  };
}
