using System.Net;

using FundingPortal.Web.Infrastructure.Email;

namespace FundingPortal.Web.Features.Payments;

/// <summary>
/// When a task is done, every accepted pledge that pays on its completion is asked for its money: the pledge is marked (the
/// sponsor dashboard shows a "pay now" link, the follow-up list shows it once due) and the billing contact gets an email with
/// the link. Card pledges pay through Checkout from that link; invoice and bank pledges get the reference to quote.
/// </summary>
public sealed class RequestPayments(IDbContextFactory<AppDbContext> contexts, Mailer mailer, TimeProvider clock, ILogger<RequestPayments> logger)
{
    public async Task<int> ForCompletedTaskAsync(int taskId, string userId, Uri? portalBase, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var pledges = await db.Pledges.Include(p => p.Organisation).Include(p => p.Fund).Include(p => p.Installments)
            .Where(p => p.Fund!.TaskId == taskId && p.Kind == PledgeKind.Money && p.PaymentTiming == PaymentTiming.OnCompletion
                && p.Status == PledgeStatus.Active && p.PaymentRequestedAt == null)
            .ToListAsync(cancellationToken);
        foreach (var pledge in pledges)
        {
            pledge.RequestPayment(now);
            db.Audit("pledge.payment-requested", nameof(Pledge), pledge.Id.ToString(CultureInfo.InvariantCulture), userId, now, pledge.OrganisationId,
                null, new { task = taskId });
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Payment requests for task {TaskId} raced with another change; the pledges are asked on the next move.", taskId);
            return 0;
        }
        foreach (var pledge in pledges.Where(p => !string.IsNullOrWhiteSpace(p.Organisation!.BillingEmail)))
        {
            await mailer.SendAsync(Email(pledge, portalBase), cancellationToken);
        }
        return pledges.Count;
    }

    private static OutgoingEmail Email(Pledge pledge, Uri? portalBase)
    {
        var path = $"organisations/{pledge.OrganisationId}/pledges/{pledge.Id}";
        var link = portalBase is null ? path : new Uri(portalBase, path).AbsoluteUri;
        var outstanding = pledge.Installments.Where(i => i.IsOpen).Sum(i => i.OutstandingUnits);
        var amount = Display.Money(outstanding, pledge.Currency);
        var how = pledge.PaymentMethod == PaymentMethod.Card
            ? $"<p><a href=\"{WebUtility.HtmlEncode(link)}\" id=\"pay-link\">Pay {amount} by card</a> (sign in first; you are taken to Stripe's secure payment page).</p>"
            : $"<p>Please pay {amount} by bank transfer quoting the reference PLEDGE-{pledge.Id}. The pledge: {WebUtility.HtmlEncode(link)}</p>";
        return new OutgoingEmail(pledge.Organisation!.BillingEmail, $"Task done: your pledge to {pledge.Fund!.Name} is now due",
            $"<p>Hello {WebUtility.HtmlEncode(pledge.Organisation.Name)},</p>" +
            $"<p>The task <strong>{WebUtility.HtmlEncode(pledge.Fund.Name)}</strong> you pledged to pay for on completion is done. Thank you!</p>" + how);
    }
}
