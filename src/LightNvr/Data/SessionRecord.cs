namespace LightNvr.Data;

/// <summary>One row of <c>sessions</c>; <see cref="TokenHash"/> is SHA-256 of the cookie value, never the value.</summary>
public sealed record SessionRecord(long Id, long UserId, string TokenHash, long CreatedAt, long ExpiresAt, string IpAddress,
    string UserAgent, long LastActivityAt, long IdleExpiresAt)
{
    internal static SessionRecord Read(RowReader r) => new(r.Long("id"), r.Long("user_id"), r.Text("token"), r.Long("created_at"),
        r.Long("expires_at"), r.Text("ip_address"), r.Text("user_agent"), r.Long("last_activity_at"), r.Long("idle_expires_at"));
}
