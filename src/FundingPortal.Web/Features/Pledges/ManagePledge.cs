using System.Globalization;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.Organisations;
using FundingPortal.Web.Infrastructure.Email;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Web.Features.Pledges;

/// <summary>
/// What a sponsor member does to one of their organisation's pledges after submitting it: pause or resume a recurring pledge,
/// cancel it (or withdraw it before review). Future installments stop; what is past stays. Each step is audited and emailed.
/// </summary>
public sealed class ManagePledge(IDbContextFactory<AppDbContext> contexts, Mailer mailer, TimeProvider clock)
{
    public Task<Result<PledgeStatus>> PauseAsync(int organisationId, int pledgeId, string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(organisationId, pledgeId, userId, "pledge.paused", "Pledge paused", null,
            (pledge, today, now) => pledge.Pause(today, now), cancellationToken);

    public Task<Result<PledgeStatus>> ResumeAsync(int organisationId, int pledgeId, string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(organisationId, pledgeId, userId, "pledge.resumed", "Pledge resumed", null,
            (pledge, today, _) => pledge.Resume(today), cancellationToken);

    public async Task<Result<PledgeStatus>> CancelAsync(int organisationId, int pledgeId, string? reason, string userId, CancellationToken cancellationToken = default)
    {
        reason = reason?.Trim() ?? "";
        if (reason.Length == 0)
        {
            return Result<PledgeStatus>.Invalid("reason", "Say why the pledge is cancelled.");
        }
        if (reason.Length > ReviewPledge.ReasonMaxLength)
        {
            return Result<PledgeStatus>.Invalid("reason", $"Keep the reason under {ReviewPledge.ReasonMaxLength} characters.");
        }
        return await ChangeAsync(organisationId, pledgeId, userId, "pledge.cancelled", "Pledge cancelled", reason,
            (pledge, today, now) => pledge.Cancel(userId, reason, today, now), cancellationToken);
    }

    private async Task<Result<PledgeStatus>> ChangeAsync(int organisationId, int pledgeId, string userId, string action, string subject, string? reason,
        Func<Pledge, DateOnly, DateTime, Result<Pledge>> change, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organisation = await db.ForMemberAsync(organisationId, userId, cancellationToken);
        if (organisation is null)
        {
            return Result<PledgeStatus>.NotFound("The pledge");
        }
        var pledge = await db.Pledges.Include(p => p.Installments).Include(p => p.Fund).ThenInclude(f => f!.Task)
            .SingleOrDefaultAsync(p => p.Id == pledgeId && p.OrganisationId == organisationId, cancellationToken);
        if (pledge is null)
        {
            return Result<PledgeStatus>.NotFound("The pledge");
        }
        var before = pledge.Status;
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = change(pledge, DateOnly.FromDateTime(now), now);
        if (!changed.Succeeded)
        {
            return Result<PledgeStatus>.From(changed.Problem!);
        }
        db.Audit(action, nameof(Pledge), pledge.Id.ToString(CultureInfo.InvariantCulture), userId, now, organisationId,
            new { status = before.ToString() }, new { status = pledge.Status.ToString(), reason });
        try
        {
            // The pledge, its installments and the audit event in one SaveChanges: one transaction.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result<PledgeStatus>.Conflict("The pledge changed at the same moment (perhaps a reviewer acted on it). Reload the page and try again.");
        }
        await mailer.SendAsync(PledgeEmails.Changed(organisation, subject, PledgeTerms.Describe(pledge, ReviewPledge.FundName(pledge.Fund!)), reason), cancellationToken);
        return Result<PledgeStatus>.Ok(pledge.Status);
    }
}
