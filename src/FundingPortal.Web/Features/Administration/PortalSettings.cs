namespace FundingPortal.Web.Features.Administration;

/// <summary>One setting admins can change in the portal, with its default and what values it accepts.</summary>
public sealed record SettingDefinition(string Key, string Label, string Help, string Default, Func<string, string?> Validate);

public sealed record SettingRow(SettingDefinition Definition, string Value);

/// <summary>Settings kept in the database (not in configuration files) because admins change them while the portal runs.</summary>
public sealed class PortalSettings(Handlers handlers)
{
    public static readonly IReadOnlyList<SettingDefinition> Definitions =
    [
        new("ProjectName", "Project name", "Shown on the public transparency page.", "Example Compiler Project",
            v => v.Trim().Length is >= 2 and <= 100 ? null : "Use 2 to 100 characters."),
        new("GracePeriodDays", "Grace period (days)", "How long after its due date an undelivered installment counts as lapsed.", "30",
            v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 0 and <= 365 ? null : "Use a whole number of days from 0 to 365."),
        new("ReminderIntervalDays", "Reminder interval (days)", "How often overdue installments are followed up by email.", "14",
            v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= 90 ? null : "Use a whole number of days from 1 to 90."),
        new("ReminderReplyTo", "Reply-to address for reminders", "Where a sponsor's reply to a payment reminder goes (the devops group's mailbox). Empty: reminders ask for no reply.", "",
            v => v.Length == 0 || (v.Length <= 254 && MimeKit.MailboxAddress.TryParse(v, out var address) && address.Address.Contains('@')) ? null : "Enter one email address, such as devops@example.org, or leave it empty."),
    ];

    private static readonly HandlerRules Admins = new(Caller.Admin, "Only admins (signed in with their second factor) change the settings.");

    public Task<Result<IReadOnlyList<SettingRow>>> AllAsync(string adminUserId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(adminUserId, Admins, async scope =>
        {
            var stored = await scope.Db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, cancellationToken);
            return Result<IReadOnlyList<SettingRow>>.Ok(Definitions.Select(d => new SettingRow(d, stored.GetValueOrDefault(d.Key, d.Default))).ToList());
        }, cancellationToken);

    public async Task<Result<string>> ChangeAsync(string key, string value, string adminUserId, CancellationToken cancellationToken = default)
    {
        var definition = Definitions.FirstOrDefault(d => d.Key == key);
        if (definition is null)
        {
            return Result<string>.NotFound("The setting");
        }
        value = value.Trim();
        if (definition.Validate(value) is { } problem)
        {
            return Result<string>.Invalid(key, problem);
        }
        return await handlers.RunAsync(adminUserId, Admins, async scope =>
        {
            var db = scope.Db;
            var setting = await db.Settings.SingleOrDefaultAsync(s => s.Key == key, cancellationToken);
            var before = setting?.Value ?? definition.Default;
            if (setting is null)
            {
                db.Settings.Add(PortalSetting.Create(key, value));
            }
            else
            {
                setting.Change(value);
            }
            db.Audit("setting.changed", nameof(PortalSetting), key, adminUserId, scope.Now, before: new { value = before }, after: new { value });
            await db.SaveChangesAsync(cancellationToken);
            return Result<string>.Ok(value);
        }, cancellationToken);
    }
}
