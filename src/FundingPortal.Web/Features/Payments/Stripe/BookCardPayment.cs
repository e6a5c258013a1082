using System.Text.Json;

using FundingPortal.Web.Features.Ledger;

using Microsoft.Extensions.Options;

using static FundingPortal.Web.Features.Payments.StripeObjects;

namespace FundingPortal.Web.Features.Payments;

/// <summary>
/// Books money Stripe took through <see cref="BookPayment"/>: from a paid Checkout Session (<c>checkout.session.completed</c> and
/// <c>checkout.session.async_payment_succeeded</c>) or a paid invoice. Amount or currency other than what the pledge asks are booked
/// (the money did arrive) but flagged for a reviewer and not counted against the installment.
/// </summary>
public sealed class BookCardPayment(IOptions<PortalOptions> portal)
{
    /// <summary>A paid one-off Checkout Session: booked once per session id.</summary>
    public async Task<AppliedEvent> PaidSessionAsync(StripeEventContext e)
    {
        var sessionId = Text(e.Data, "id")!;
        if (Text(e.Data, "mode") != "payment")
        {
            return new AppliedEvent("subscription money arrives with invoice.paid");
        }
        if (await e.Db.Payments.AnyAsync(p => p.StripeCheckoutSessionId == sessionId, e.CancellationToken))
        {
            return new AppliedEvent("session already booked");
        }
        var pledge = await SessionPledgeAsync(e);
        if (pledge is null)
        {
            return new AppliedEvent("paid session for no pledge of ours");
        }
        var paymentIntent = e.Data.TryGetProperty("payment_intent", out var intent) ? intent : default;
        var paymentIntentId = IdOf(e.Data, "payment_intent");
        var amount = Long(e.Data, "amount_total");
        var currency = CurrencyOf(e.Data);
        if (Unbookable(amount, currency) is { } reason)
        {
            return AppliedEvent.ForReview($"Checkout Session {sessionId} for pledge {pledge.Id}: {reason}");
        }
        var payment = await BookAsync(e, pledge, amount, currency!, FeeOf(paymentIntent), $"Card payment (Stripe Checkout {sessionId})",
            sessionId, paymentIntentId, null);
        return new AppliedEvent($"payment {payment.Id} booked for pledge {pledge.Id}");
    }

    public async Task<Payment> BookAsync(StripeEventContext e, Pledge pledge, long amount, string currency, long feeBase, string description,
        string? sessionId, string? paymentIntentId, string? invoiceId)
    {
        if (Unbookable(amount, currency) is not null)
        {
            // The callers close such an event for review before they get here.
            throw new InvalidOperationException($"Stripe sent an amount ({amount}) or currency ({currency}) the portal cannot book.");
        }
        var installment = FirstOpen(pledge);
        var expected = pledge.IsRecurring ? pledge.AmountMinor : installment?.OutstandingUnits ?? pledge.AmountMinor;
        string? flag = null;
        if (currency != pledge.Currency || amount != expected)
        {
            flag = $"Stripe took {new Money(amount, currency)} but the pledge asks {new Money(expected, pledge.Currency)}.";
        }
        else if (installment is null)
        {
            flag = "Nothing was open on the pledge for this payment.";
        }
        var money = new Money(amount, currency);
        var baseCurrency = portal.Value.BaseCurrency;
        decimal rate = 1;
        if (currency != baseCurrency)
        {
            // Stripe settles in its own currency; until a rate source exists, the last rate a reviewer recorded for this currency is used
            // and the payment is flagged when there is none.
            var last = await ExchangeRates.LastRecordedAsync(e.Db, currency, baseCurrency, e.CancellationToken);
            rate = last ?? 1;
            if (last is null)
            {
                flag ??= $"No exchange rate from {currency} to {baseCurrency} is known; booked at 1 until a reviewer corrects it.";
            }
        }
        var baseAmount = money.ConvertTo(baseCurrency, rate).Value;
        var externalId = "stripe:" + (invoiceId ?? paymentIntentId ?? sessionId);
        var receipt = new PaymentReceipt(pledge.OrganisationId, pledge.Id, installment?.Id, pledge.FundId, PaymentChannel.Stripe, money, baseAmount,
            rate, e.At, invoiceId ?? sessionId, externalId, null, feeBase, sessionId, paymentIntentId, invoiceId);
        return await BookPayment.BookAsync(e.Db, pledge, installment, receipt, $"{description} from {pledge.Organisation?.Name}", e.At,
            e.CancellationToken, flag);
    }

    /// <summary>Stripe's fee, when the payment intent arrives expanded down to its balance transaction, already in the base currency.</summary>
    private long FeeOf(JsonElement paymentIntent)
    {
        if (paymentIntent.ValueKind != JsonValueKind.Object || !paymentIntent.TryGetProperty("latest_charge", out var charge)
            || charge.ValueKind != JsonValueKind.Object || !charge.TryGetProperty("balance_transaction", out var balance)
            || balance.ValueKind != JsonValueKind.Object)
        {
            return 0;
        }
        return string.Equals(Text(balance, "currency"), portal.Value.BaseCurrency, StringComparison.OrdinalIgnoreCase) ? Long(balance, "fee") : 0;
    }
}
