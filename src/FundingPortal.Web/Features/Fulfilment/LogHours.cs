using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Fulfilment;

public sealed record TimeEntryView(int Id, DateOnly Date, string Engineer, string Hours, string Description, ConfirmationStatus Status, string? RejectionReason);

public sealed record HoursPageView(PledgeFulfilmentView Pledge, IReadOnlyList<TimeEntryView> Entries);

/// <summary>Sponsor members log hours their engineer delivered on one of their organisation's engineer-time pledges, and see them.</summary>
public sealed class LogHours(Handlers handlers, IOptions<PortalOptions> portal)
{
    public static readonly string[] Fields = ["date", "engineer", "hours", "description"];

    public Task<Result<HoursPageView>> GetAsync(int organisationId, int pledgeId, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, RecordInKind.Members, async scope =>
        {
            if (await RecordInKind.MembersPledgeAsync(scope, organisationId, pledgeId, portal.Value.BaseCurrency, cancellationToken) is not { } view)
            {
                return Result<HoursPageView>.NotFound("The pledge");
            }
            var entries = await scope.Db.TimeEntries.AsNoTracking().Where(t => t.PledgeId == pledgeId)
                .OrderByDescending(t => t.Date).ThenByDescending(t => t.Id)
                .Select(t => new { t.Id, t.Date, t.Engineer, t.Minutes, t.Description, t.Status, t.RejectionReason })
                .ToListAsync(cancellationToken);
            return Result<HoursPageView>.Ok(new HoursPageView(view, entries.Select(t => new TimeEntryView(t.Id, t.Date, t.Engineer,
                new Hours(t.Minutes).ToString(), t.Description, t.Status, t.RejectionReason)).ToList()));
        }, cancellationToken);

    public Task<Result<int>> LogAsync(int organisationId, int pledgeId, HoursInput input, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, RecordInKind.Members, async scope =>
        {
            if (!await RecordInKind.IsMembersPledgeAsync(scope.Db, organisationId, pledgeId, userId, cancellationToken))
            {
                return Result<int>.NotFound("The pledge");
            }
            var pledge = await scope.Db.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == pledgeId, cancellationToken);
            if (input.Date is not { } date)
            {
                return Result<int>.Invalid("date", "Enter the day the hours were delivered.");
            }
            if (!decimal.TryParse(input.Hours?.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var hours))
            {
                return Result<int>.Invalid("hours", "Enter the hours as a number, such as 2.5.");
            }
            var logged = TimeEntry.Log(pledge, DateOnly.FromDateTime(date), input.Engineer, Hours.FromHours(hours), input.Description, userId,
                scope.Today, scope.Now);
            if (!logged.Succeeded)
            {
                return logged.Problem!;
            }
            var entry = logged.Value!;
            return await RecordInKind.AddAsync(scope, entry, "time-entry.logged", organisationId,
                new { pledgeId, date = entry.Date, entry.Engineer, hours = entry.Hours.TotalHours, entry.Description }, cancellationToken);
        }, cancellationToken);
}
