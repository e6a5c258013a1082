using FundingPortal.Web.Features.Administration;

namespace FundingPortal.Web.Features.FollowUp;

/// <summary>The follow-up rules admins set on the settings page (grace period, reminder interval), read fresh for each operation.</summary>
public sealed record FollowUpSettings(int GracePeriodDays, int ReminderIntervalDays)
{
    public const string ReplyToKey = "ReminderReplyTo";

    /// <summary>Where replies to reminders go; null when no one reads them.</summary>
    public string? ReplyTo { get; init; }

    public const string GracePeriodKey = "GracePeriodDays";
    public const string ReminderIntervalKey = "ReminderIntervalDays";

    public static async Task<FollowUpSettings> ReadAsync(AppDbContext db, CancellationToken cancellationToken = default)
    {
        var stored = await db.Settings.AsNoTracking()
            .Where(s => s.Key == GracePeriodKey || s.Key == ReminderIntervalKey || s.Key == ReplyToKey)
            .ToDictionaryAsync(s => s.Key, s => s.Value, cancellationToken);
        return new FollowUpSettings(Read(stored, GracePeriodKey, 0), Read(stored, ReminderIntervalKey, 1))
        {
            ReplyTo = stored.GetValueOrDefault(ReplyToKey) is { Length: > 0 } replyTo ? replyTo : null,
        };
    }

    /// <summary>Settles a pledge after something was delivered (or the job's daily look): fulfilled, partially fulfilled or lapsed.</summary>
    public PledgeStatus Settle(Pledge pledge, DateOnly today, DateTime now) => pledge.Settle(today, GracePeriodDays, now);

    private static int Read(Dictionary<string, string> stored, string key, int minimum)
    {
        var fallback = PortalSettings.Definitions.Single(d => d.Key == key).Default;
        var text = stored.GetValueOrDefault(key, fallback);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : int.Parse(fallback, CultureInfo.InvariantCulture);
    }
}
