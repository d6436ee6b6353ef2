import { useInstagramProfile } from "@instagram-connect/react";
import type { ReactElement } from "react";
import { RELAY_URL } from "./relay-url.ts";

const count = new Intl.NumberFormat("en", { notation: "compact" });

function Stat({ label, value }: { label: string; value: number | null }): ReactElement {
  return (
    <div className="demo-stat">
      <strong>{value === null ? "–" : count.format(value)}</strong>
      <span>{label}</span>
    </div>
  );
}

/** The connected account's profile, read through the relay with `useInstagramProfile`. */
export function ProfileCard(): ReactElement {
  const profile = useInstagramProfile({ relayUrl: RELAY_URL });
  const { data } = profile;

  return (
    <section className="demo-card" aria-labelledby="profile-title" data-testid="profile">
      <h2 id="profile-title">Profile</h2>
      {data ? (
        <div className="demo-profile">
          {data.profilePictureUrl ? (
            <img className="demo-avatar" src={data.profilePictureUrl} alt="" width={72} height={72} />
          ) : (
            <div className="demo-avatar demo-avatar-empty" aria-hidden="true" />
          )}
          <div className="demo-profile-text">
            <p className="demo-profile-name">
              {data.name ?? data.username} <span className="demo-chip">{data.accountType}</span>
            </p>
            <p className="demo-muted" data-testid="profile-username">
              @{data.username}
            </p>
            <div className="demo-stats">
              <Stat label="posts" value={data.mediaCount} />
              <Stat label="followers" value={data.followersCount} />
              <Stat label="following" value={data.followsCount} />
            </div>
          </div>
        </div>
      ) : profile.error ? (
        <p className="demo-error" role="alert">
          The profile could not be loaded ({profile.error.code}).
        </p>
      ) : (
        <p className="demo-muted">
          {profile.isFetching ? "Loading…" : "Connect an account to see its profile here."}
        </p>
      )}
    </section>
  );
}
