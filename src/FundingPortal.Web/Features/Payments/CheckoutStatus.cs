namespace FundingPortal.Web.Features.Payments;

public enum CheckoutState
{
    /// <summary>No pledge of the user's organisations was sent to this session (a forged or foreign id).</summary>
    Unknown,

    /// <summary>Stripe has not yet told us (by webhook) that the money arrived.</summary>
    Processing,

    Received,
}

public sealed record CheckoutView(CheckoutState State, int? OrganisationId, int? PledgeId, string? Amount);

/// <summary>
/// What the success page shows after Stripe Checkout. It only reads: money is booked from the verified webhook, never from the
/// browser coming back, so a forged <c>session_id</c> books nothing and shows nothing of anyone else's.
/// </summary>
public sealed class CheckoutStatus(IDbContextFactory<AppDbContext> contexts)
{
    public async Task<CheckoutView> ReadAsync(string? sessionId, string userId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(sessionId) || sessionId.Length > 255)
        {
            return new CheckoutView(CheckoutState.Unknown, null, null, null);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pledge = await db.Pledges.AsNoTracking()
            .Where(p => p.LastCheckoutSessionId == sessionId && p.Organisation!.Members.Any(m => m.UserId == userId))
            .Select(p => new { p.Id, p.OrganisationId, p.CheckoutStartedAt, p.Frequency })
            .SingleOrDefaultAsync(cancellationToken);
        if (pledge is null)
        {
            return new CheckoutView(CheckoutState.Unknown, null, null, null);
        }
        var paid = await db.Payments.AsNoTracking()
            .Where(p => p.PledgeId == pledge.Id && p.Channel == PaymentChannel.Stripe
                && (p.StripeCheckoutSessionId == sessionId || (p.StripeInvoiceId != null && p.ReceivedAt >= pledge.CheckoutStartedAt!.Value.AddMinutes(-5))))
            .OrderBy(p => p.Id)
            .Select(p => new { p.AmountMinor, p.Currency })
            .FirstOrDefaultAsync(cancellationToken);
        return paid is null
            ? new CheckoutView(CheckoutState.Processing, pledge.OrganisationId, pledge.Id, null)
            : new CheckoutView(CheckoutState.Received, pledge.OrganisationId, pledge.Id, new Money(paid.AmountMinor, paid.Currency).ToString());
    }
}
