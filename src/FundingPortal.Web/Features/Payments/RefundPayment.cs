namespace FundingPortal.Web.Features.Payments;

/// <summary>
/// Giving card money back. A reviewer asks Stripe for a full or partial refund (the request row's id is the idempotency key, so a
/// double click refunds once); nothing is booked until Stripe's <c>charge.refunded</c> arrives, which books one reversing ledger
/// entry per Stripe refund id.
/// </summary>
public sealed class RefundPayment(Handlers handlers, StripeGateway stripe, ILogger<RefundPayment> logger)
{
    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers refund payments.");

    /// <summary>A reviewer's refund of <paramref name="amountText"/> (empty: what is left) on a card payment.</summary>
    public Task<Result<int>> RequestAsync(int paymentId, string? amountText, string? reason, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers, scope => SendAsync(scope, paymentId, amountText, reason, cancellationToken), cancellationToken);

    private async Task<Result<int>> SendAsync(HandlerScope scope, int paymentId, string? amountText, string? reason, CancellationToken cancellationToken)
    {
        var (db, userId, now) = scope;
        var payment = await db.Payments.SingleOrDefaultAsync(p => p.Id == paymentId, cancellationToken);
        if (payment is null)
        {
            return Result<int>.NotFound("The payment");
        }
        if (payment.Channel != PaymentChannel.Stripe || payment.StripePaymentIntentId is null)
        {
            return Result<int>.Invalid("amount", "Only card payments taken by Stripe are refunded here; give bank payments back by bank transfer.");
        }
        if (!stripe.Enabled)
        {
            return Result<int>.Conflict("Card payment is switched off on this portal (no Stripe key), so refunds cannot be sent.");
        }
        reason = reason?.Trim() ?? "";
        if (reason.Length is 0 or > RefundRequest.ReasonMaxLength)
        {
            return Result<int>.Invalid("reason", $"Say why the money is given back (up to {RefundRequest.ReasonMaxLength} characters).");
        }
        var refunded = await db.Refunds.Where(r => r.PaymentId == payment.Id).SumAsync(r => (long?)r.AmountMinor, cancellationToken) ?? 0;
        var left = payment.AmountMinor - refunded;
        var amount = string.IsNullOrWhiteSpace(amountText) ? Result<Money>.Ok(new Money(left, payment.Currency)) : Money.ParsePositive(amountText, payment.Currency);
        if (!amount.Succeeded)
        {
            return amount.Problem!;
        }
        if (amount.Value.MinorUnits <= 0 || amount.Value.MinorUnits > left)
        {
            return Result<int>.Invalid("amount", $"At most {new Money(left, payment.Currency)} is left to refund on this payment.");
        }

        var request = RefundRequest.Create(payment.Id, amount.Value, reason, userId, now);
        db.RefundRequests.Add(request);
        db.Audit("refund.requested", nameof(Payment), Key(payment.Id), userId, now, payment.OrganisationId, null,
            new { amount = amount.Value.ToString(), reason });
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            var refund = await stripe.CreateRefundAsync(new Stripe.RefundCreateOptions
            {
                PaymentIntent = payment.StripePaymentIntentId,
                Amount = amount.Value.MinorUnits,
                Reason = "requested_by_customer",
                Metadata = new Dictionary<string, string> { ["payment_id"] = Key(payment.Id), ["refund_request_id"] = Key(request.Id) },
            }, request.IdempotencyKey, cancellationToken);
            request.Sent(refund.Id);
            await db.SaveChangesAsync(cancellationToken);
            return Result<int>.Ok(request.Id);
        }
        catch (StripeUnavailableException e)
        {
            logger.LogWarning("Refund request {RequestId} failed: {Reason}", request.Id, e.Message);
            return Result<int>.Conflict("Stripe did not accept the refund just now; nothing was given back. Try again in a few minutes.");
        }
    }

    /// <summary>Books one Stripe refund (once per refund id): the refund row, one reversing ledger entry, the payment's status, an audit event.</summary>
    public static async Task<bool> BookAsync(AppDbContext db, Payment payment, string stripeRefundId, Money amount, string? reason, DateTime at,
        string baseCurrency, string actor, CancellationToken cancellationToken)
    {
        if (await db.Refunds.AnyAsync(r => r.ExternalId == stripeRefundId, cancellationToken))
        {
            return false;
        }
        var refund = Refund.Create(payment.Id, amount, stripeRefundId, reason, at);
        db.Refunds.Add(refund);
        await db.SaveChangesAsync(cancellationToken);
        var inBase = amount.Currency == payment.Currency
            ? amount.ConvertTo(baseCurrency, amount.Currency == baseCurrency ? 1 : payment.ExchangeRate).Value
            : throw new InvalidOperationException($"Refund {stripeRefundId} is in {amount.Currency}, its payment in {payment.Currency}.");
        db.LedgerEntries.Add(LedgerEntry.Book(Core.Domain.Ledger.Refund(payment, refund, inBase, $"Card refund {stripeRefundId}", at, null)));
        var refundedSoFar = await db.Refunds.Where(r => r.PaymentId == payment.Id).SumAsync(r => r.AmountMinor, cancellationToken);
        var before = payment.Status;
        payment.RecordRefund(refundedSoFar);
        db.Audit("refund.booked", nameof(Payment), Key(payment.Id), actor, at, payment.OrganisationId, new { status = before.ToString() },
            new { status = payment.Status.ToString(), refund = stripeRefundId, amount = amount.ToString(), baseAmount = inBase.ToString() });
        return true;
    }

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);
}
