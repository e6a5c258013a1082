namespace FundingPortal.Core.Domain;

/// <summary>
/// One signed-in session, kept on the server: the browser's cookie holds only its key. Signing out deletes the row, so a copied cookie
/// is worth nothing afterwards; "sign out everywhere", an admin, or a demotion deletes every row of a person. Several instances share
/// the rows through the database.
/// </summary>
public class UserSession
{
    public const int UserAgentMaxLength = 300;
    public const int AddressMaxLength = 64;

    private UserSession()
    {
    }

    /// <summary>The key the cookie carries: random, unguessable.</summary>
    public string Id { get; private set; } = "";

    public string UserId { get; private set; } = "";

    /// <summary>The serialized authentication ticket (the person's claims and the session's expiry).</summary>
    public byte[] Ticket { get; private set; } = [];

    public DateTime CreatedAt { get; private set; }

    public DateTime LastSeenAt { get; private set; }

    public DateTime? ExpiresAt { get; private set; }

    public string? UserAgent { get; private set; }

    public string? Address { get; private set; }

    public static UserSession Start(string id, string userId, byte[] ticket, DateTime? expiresAt, string? userAgent, string? address, DateTime now) => new()
    {
        Id = id,
        UserId = userId,
        Ticket = ticket,
        CreatedAt = now,
        LastSeenAt = now,
        ExpiresAt = expiresAt,
        UserAgent = Truncate(userAgent, UserAgentMaxLength),
        Address = Truncate(address, AddressMaxLength),
    };

    public void Renew(byte[] ticket, DateTime? expiresAt, DateTime now)
    {
        Ticket = ticket;
        ExpiresAt = expiresAt;
        LastSeenAt = now;
    }

    public void Seen(DateTime now) => LastSeenAt = now;

    private static string? Truncate(string? text, int length) => text is null ? null : text.Length <= length ? text : text[..length];
}
