using System.Globalization;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.Organisations;
using FundingPortal.Web.Infrastructure;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Fulfilment;

/// <summary>What a sponsor member types to log hours delivered.</summary>
public sealed class HoursInput
{
    public DateTime? Date { get; set; }

    public string? Engineer { get; set; }

    /// <summary>Decimal hours, such as 2.5.</summary>
    public string? Hours { get; set; }

    public string? Description { get; set; }
}

public sealed record TimeEntryView(int Id, DateOnly Date, string Engineer, string Hours, string Description, ConfirmationStatus Status, string? RejectionReason);

public sealed record HoursPageView(PledgeFulfilmentView Pledge, IReadOnlyList<TimeEntryView> Entries);

/// <summary>Sponsor members log hours their engineer delivered on one of their organisation's engineer-time pledges, and see them.</summary>
public sealed class LogHours(IDbContextFactory<AppDbContext> contexts, TimeProvider clock, IOptions<PortalOptions> portal)
{
    public static readonly string[] Fields = ["date", "engineer", "hours", "description"];

    public async Task<Result<HoursPageView>> GetAsync(int organisationId, int pledgeId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await IsMembersPledgeAsync(db, organisationId, pledgeId, userId, cancellationToken))
        {
            return Result<HoursPageView>.NotFound("The pledge");
        }
        var view = await PledgeFulfilment.LoadAsync(db, pledgeId, Today(), portal.Value.BaseCurrency, cancellationToken);
        var entries = await db.TimeEntries.AsNoTracking().Where(t => t.PledgeId == pledgeId)
            .OrderByDescending(t => t.Date).ThenByDescending(t => t.Id)
            .Select(t => new { t.Id, t.Date, t.Engineer, t.Minutes, t.Description, t.Status, t.RejectionReason })
            .ToListAsync(cancellationToken);
        return Result<HoursPageView>.Ok(new HoursPageView(view!, entries.Select(t => new TimeEntryView(t.Id, t.Date, t.Engineer,
            new Hours(t.Minutes).ToString(), t.Description, t.Status, t.RejectionReason)).ToList()));
    }

    public async Task<Result<int>> LogAsync(int organisationId, int pledgeId, HoursInput input, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await IsMembersPledgeAsync(db, organisationId, pledgeId, userId, cancellationToken))
        {
            return Result<int>.NotFound("The pledge");
        }
        var pledge = await db.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == pledgeId, cancellationToken);
        if (input.Date is not { } date)
        {
            return Result<int>.Invalid("date", "Enter the day the hours were delivered.");
        }
        if (!decimal.TryParse(input.Hours?.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var hours))
        {
            return Result<int>.Invalid("hours", "Enter the hours as a number, such as 2.5.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var logged = TimeEntry.Log(pledge, DateOnly.FromDateTime(date), input.Engineer, Hours.FromHours(hours), input.Description, userId, Today(), now);
        if (!logged.Succeeded)
        {
            return Result<int>.From(logged.Problem!);
        }
        var entry = logged.Value!;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.TimeEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        db.Audit("time-entry.logged", nameof(TimeEntry), entry.Id.ToString(CultureInfo.InvariantCulture), userId, now, organisationId,
            after: new { pledgeId, date = entry.Date, entry.Engineer, hours = entry.Hours.TotalHours, entry.Description });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result<int>.Ok(entry.Id);
    }

    /// <summary>The pledge belongs to the organisation and the user is one of its members; anything else reads as "not found".</summary>
    internal static async Task<bool> IsMembersPledgeAsync(AppDbContext db, int organisationId, int pledgeId, string userId, CancellationToken cancellationToken) =>
        await db.ForMemberAsync(organisationId, userId, cancellationToken) is not null
        && await db.Pledges.AnyAsync(p => p.Id == pledgeId && p.OrganisationId == organisationId, cancellationToken);

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
