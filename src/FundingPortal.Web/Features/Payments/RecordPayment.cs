using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Payments;

/// <summary>
/// Records money received outside Stripe against an installment of a money pledge. The payment, the installment's received amount,
/// the ledger contribution (in the base currency, keeping the original amount and rate) and the audit event are saved in one
/// transaction; the pledge is then settled. The bank or invoice reference is the payment's external id, so it is booked once.
/// </summary>
public sealed class RecordPayment(Handlers handlers, IOptions<PortalOptions> portal)
{
    public static readonly string[] Fields = ["installment", "receivedOn", "amount", "currency", "rate", "reference", "channel", "overpaymentReason"];

    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers record payments.",
        "This pledge changed while the payment was being recorded (someone else recorded something). Reload and try again.");

    public Task<Result<int>> RecordAsync(int pledgeId, PaymentInput input, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers, async scope =>
        {
            var db = scope.Db;
            var pledge = await db.Pledges.Include(p => p.Installments).Include(p => p.Organisation)
                .SingleOrDefaultAsync(p => p.Id == pledgeId, cancellationToken);
            if (pledge is null)
            {
                return Result<int>.NotFound("The pledge");
            }
            var checkedInput = Check(pledge, input, scope.Today, portal.Value.BaseCurrency, portal.Value.MaxAmount);
            if (!checkedInput.Succeeded)
            {
                return checkedInput.Problem!;
            }
            var (installment, amount, rate, baseAmount, reference, receivedOn, overpaid) = checkedInput.Value!;
            var externalId = ExternalId(reference);
            if (await db.Payments.AnyAsync(p => p.ExternalId == externalId, cancellationToken))
            {
                return Duplicate(reference);
            }

            var receipt = new PaymentReceipt(pledge.OrganisationId, pledge.Id, installment.Id, pledge.FundId, input.Channel,
                amount, baseAmount, rate, receivedOn.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), reference, externalId, userId,
                OverpaidMinor: overpaid, OverpaymentReason: overpaid > 0 ? input.OverpaymentReason!.Trim() : null);
            if (installment.Status is InstallmentStatus.Cancelled or InstallmentStatus.Paused)
            {
                return Result<int>.Conflict($"Nothing can be delivered against an installment that is {installment.Status}.").Problem! with { Field = "installment" };
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var payment = await BookPayment.BookAsync(db, pledge, installment, receipt,
                    $"{Channel(input.Channel)} from {pledge.Organisation!.Name}, reference {reference}", scope.Now, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return Result<int>.Ok(payment.Id);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                // Someone booked the same bank reference a moment before: say so on the field rather than as a lost race.
                return Duplicate(reference);
            }
        }, cancellationToken);

    /// <summary>The external id a manually recorded payment gets: one per bank or invoice reference.</summary>
    public static string ExternalId(string reference) => "manual:" + reference;

    private static Result<int> Duplicate(string reference) =>
        Result<int>.Invalid("reference", $"A payment with the reference '{reference}' is already recorded; it was not booked again.");

    private static string Channel(PaymentChannel channel) => channel == PaymentChannel.Invoice ? "Invoice payment" : "Bank transfer";

    private sealed record CheckedPayment(Installment Installment, Money Amount, decimal Rate, Money BaseAmount, string Reference, DateOnly ReceivedOn,
        long OverpaidMinor);

    private static Result<CheckedPayment> Check(Pledge pledge, PaymentInput input, DateOnly today, string baseCurrency, decimal maxAmount)
    {
        if (pledge.Kind != PledgeKind.Money)
        {
            return Result<CheckedPayment>.Invalid("installment", "Payments are recorded against money pledges; this one is " + pledge.Kind + ".");
        }
        if (input.Channel is not (PaymentChannel.BankTransfer or PaymentChannel.Invoice))
        {
            return Result<CheckedPayment>.Invalid("channel", "Choose bank transfer or invoice; card payments arrive from Stripe.");
        }
        var installment = input.InstallmentId is { } id
            ? pledge.Installments.FirstOrDefault(i => i.Id == id)
            : pledge.Installments.Where(i => i.IsOpen).OrderBy(i => i.Sequence).FirstOrDefault();
        if (installment is null)
        {
            return Result<CheckedPayment>.Invalid("installment", input.InstallmentId is null
                ? "This pledge has no installment waiting for money."
                : "Choose one of this pledge's installments.");
        }
        if (input.ReceivedOn is not { } received)
        {
            return Result<CheckedPayment>.Invalid("receivedOn", "Enter the date the money arrived.");
        }
        var receivedOn = DateOnly.FromDateTime(received);
        if (receivedOn > today)
        {
            return Result<CheckedPayment>.Invalid("receivedOn", "The date received cannot be in the future.");
        }
        var currency = input.Currency?.Trim().ToUpperInvariant();
        if (currency != pledge.Currency)
        {
            return Result<CheckedPayment>.Invalid("currency", $"Record the payment in the pledge's currency, {pledge.Currency}.");
        }
        var amount = Money.ParsePositive(input.Amount, currency);
        if (!amount.Succeeded)
        {
            return amount.Problem!;
        }
        decimal rate = 1;
        if (currency != baseCurrency
            && (!decimal.TryParse(input.Rate?.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out rate) || rate <= 0))
        {
            return Result<CheckedPayment>.Invalid("rate", $"Enter the rate: how many {baseCurrency} one {currency} was worth (more than 0).");
        }
        var baseAmount = amount.Value.ConvertTo(baseCurrency, rate);
        if (!baseAmount.Succeeded)
        {
            return baseAmount.Problem! with { Field = baseAmount.Problem!.Field == "currency" ? "currency" : "rate" };
        }
        if (baseAmount.Value.ToMajor() > maxAmount)
        {
            return Result<CheckedPayment>.Invalid("amount",
                $"{baseAmount.Value.ToString()} is more than one payment may be ({baseCurrency} {maxAmount.ToString("#,0.##", CultureInfo.InvariantCulture)}); check the amount.");
        }
        var open = Math.Max(0, installment.AmountDueMinor - installment.AmountReceivedMinor);
        var overpaid = Math.Max(0, amount.Value.MinorUnits - open);
        if (overpaid > 0 && !input.Overpayment)
        {
            return Result<CheckedPayment>.Invalid("amount",
                $"Installment #{installment.Sequence} still asks {new Money(open, installment.Currency)}; this is {new Money(overpaid, installment.Currency)} more. "
                + "Check the amount, or choose \"overpayment\" and say why to book it as one.");
        }
        if (overpaid > 0 && (string.IsNullOrWhiteSpace(input.OverpaymentReason) || input.OverpaymentReason.Trim().Length > Payment.VoidReasonMaxLength))
        {
            return Result<CheckedPayment>.Invalid("overpaymentReason", $"Say why more than the installment asks is booked (up to {Payment.VoidReasonMaxLength} characters).");
        }
        var reference = input.Reference?.Trim();
        if (string.IsNullOrEmpty(reference) || reference.Length > PaymentInput.ReferenceMaxLength)
        {
            return Result<CheckedPayment>.Invalid("reference", $"Enter the bank or invoice reference (up to {PaymentInput.ReferenceMaxLength} characters).");
        }
        return Result<CheckedPayment>.Ok(new CheckedPayment(installment, amount.Value, rate, baseAmount.Value, reference, receivedOn, overpaid));
    }
}
