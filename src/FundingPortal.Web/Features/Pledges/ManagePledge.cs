using FundingPortal.Web.Features.Organisations;
using FundingPortal.Web.Features.Payments;
using FundingPortal.Web.Infrastructure.Email;

namespace FundingPortal.Web.Features.Pledges;

/// <summary>
/// What a sponsor member does to one of their organisation's pledges after submitting it: pause or resume a recurring pledge,
/// cancel it (or withdraw it before review). Future installments stop; what is past stays. Each step is audited and emailed.
/// A card pledge's Stripe subscription follows: paused (collection voided), resumed or cancelled in Stripe first, so a refusal
/// from Stripe changes nothing here.
/// </summary>
public sealed class ManagePledge(Handlers handlers, Mailer mailer, StripeGateway stripe)
{
    /// <summary>Members of the organisation (loaded only for them, see <c>OrganisationAccess</c>).</summary>
    private static readonly HandlerRules Members = new(Caller.SignedIn, "Sign in to change a pledge.",
        "The pledge changed at the same moment (perhaps a reviewer acted on it). Reload the page and try again.");

    public Task<Result<PledgeStatus>> PauseAsync(int organisationId, int pledgeId, string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(organisationId, pledgeId, userId, "pledge.paused", "Pledge paused", null,
            (pledge, today, now) => pledge.Pause(today, now), cancellationToken,
            (pledge, ct) => stripe.UpdateSubscriptionAsync(pledge.StripeSubscriptionId!, new Stripe.SubscriptionUpdateOptions
            {
                PauseCollection = new Stripe.SubscriptionPauseCollectionOptions { Behavior = "void" },
            }, $"pledge:{pledge.Id}:pause:{pledge.Version}", ct));

    public Task<Result<PledgeStatus>> ResumeAsync(int organisationId, int pledgeId, string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(organisationId, pledgeId, userId, "pledge.resumed", "Pledge resumed", null,
            (pledge, today, _) => pledge.Resume(today), cancellationToken,
            (pledge, ct) =>
            {
                var options = new Stripe.SubscriptionUpdateOptions();
                // An empty pause_collection is how Stripe is told to collect again.
                options.AddExtraParam("pause_collection", "");
                return stripe.UpdateSubscriptionAsync(pledge.StripeSubscriptionId!, options, $"pledge:{pledge.Id}:resume:{pledge.Version}", ct);
            });

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
            (pledge, today, now) => pledge.Cancel(userId, reason, today, now), cancellationToken,
            (pledge, ct) => stripe.CancelSubscriptionAsync(pledge.StripeSubscriptionId!, $"pledge:{pledge.Id}:cancel", ct));
    }

    private Task<Result<PledgeStatus>> ChangeAsync(int organisationId, int pledgeId, string userId, string action, string subject, string? reason,
        Func<Pledge, DateOnly, DateTime, Result<Pledge>> change, CancellationToken cancellationToken,
        Func<Pledge, CancellationToken, Task<Stripe.Subscription>>? inStripe = null) =>
        handlers.RunAsync(userId, Members, scope => ChangeAsync(organisationId, pledgeId, action, subject, reason, change, scope, inStripe, cancellationToken),
            cancellationToken);

    private async Task<Result<PledgeStatus>> ChangeAsync(int organisationId, int pledgeId, string action, string subject, string? reason,
        Func<Pledge, DateOnly, DateTime, Result<Pledge>> change, HandlerScope scope, Func<Pledge, CancellationToken, Task<Stripe.Subscription>>? inStripe,
        CancellationToken cancellationToken)
    {
        var (db, userId, now) = scope;
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
        var changed = change(pledge, DateOnly.FromDateTime(now), now);
        if (!changed.Succeeded)
        {
            return changed.Problem!;
        }
        if (pledge.StripeSubscriptionId is not null && inStripe is not null)
        {
            if (!stripe.Enabled)
            {
                return Result<PledgeStatus>.Conflict("This pledge is paid by a card subscription, and card payment is switched off on this portal. Ask the devops group.");
            }
            try
            {
                await inStripe(pledge, cancellationToken);
            }
            catch (StripeUnavailableException)
            {
                return Result<PledgeStatus>.Conflict("Stripe did not accept the change to the card subscription just now; nothing changed. Try again in a few minutes.");
            }
        }
        db.Audit(action, nameof(Pledge), pledge.Id.ToString(CultureInfo.InvariantCulture), userId, now, organisationId,
            new { status = before.ToString() }, new { status = pledge.Status.ToString(), reason });
        // The pledge, its installments and the audit event in one SaveChanges: one transaction.
        await db.SaveChangesAsync(cancellationToken);
        await mailer.SendAsync(PledgeEmails.Changed(organisation, subject, PledgeTerms.Describe(pledge, ReviewPledge.FundName(pledge.Fund!)), reason), cancellationToken);
        return Result<PledgeStatus>.Ok(pledge.Status);
    }
}
