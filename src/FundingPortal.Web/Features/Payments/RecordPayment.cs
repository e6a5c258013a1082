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

    /// <summary>The payment the form describes, or every problem of the form at once, each on its field.</summary>
    private static Result<CheckedPayment> Check(Pledge pledge, PaymentInput input, DateOnly today, string baseCurrency, decimal maxAmount)
    {
        if (pledge.Kind != PledgeKind.Money)
        {
            return Result<CheckedPayment>.Invalid("installment", $"Payments are recorded against money pledges; this one is {Display.Words(pledge.Kind).ToLowerInvariant()}.");
        }
        var checks = new FieldChecks();
        checks.Require(input.Channel is PaymentChannel.BankTransfer or PaymentChannel.Invoice, "channel", "Choose bank transfer or invoice; card payments arrive from Stripe.");
        var installment = input.InstallmentId is { } id
            ? pledge.Installments.FirstOrDefault(i => i.Id == id)
            : pledge.Installments.Where(i => i.IsOpen).OrderBy(i => i.Sequence).FirstOrDefault();
        checks.Require(installment is not null, "installment", input.InstallmentId is null
            ? "This pledge has no installment waiting for money."
            : "Choose one of this pledge's installments.");
        var receivedOn = input.ReceivedOn is { } received ? DateOnly.FromDateTime(received) : (DateOnly?)null;
        if (checks.Require(receivedOn is not null, "receivedOn", "Enter the date the money arrived."))
        {
            checks.Require(receivedOn <= today, "receivedOn", "The date received cannot be in the future.");
        }
        var currency = input.Currency?.Trim().ToUpperInvariant();
        var amount = checks.Require(currency == pledge.Currency, "currency", $"Record the payment in the pledge's currency, {pledge.Currency}.")
            ? checks.Take(Money.ParsePositive(input.Amount, currency))
            : (Money?)null;
        decimal rate = 1;
        var rateRead = currency == baseCurrency
            || checks.Require(decimal.TryParse(input.Rate?.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out rate) && rate > 0,
                "rate", $"Enter the rate: how many {baseCurrency} one {currency} was worth (more than 0).");
        Money? baseAmount = null;
        if (rateRead && !checks.Failed("currency") && !checks.Failed("amount"))
        {
            var converted = amount!.Value.ConvertTo(baseCurrency, rate);
            if (converted.Succeeded)
            {
                baseAmount = converted.Value;
                checks.Require(converted.Value.ToMajor() <= maxAmount, "amount",
                    $"{converted.Value} is more than one payment may be ({baseCurrency} {maxAmount.ToString("#,0.##", CultureInfo.InvariantCulture)}); check the amount.");
            }
            else
            {
                checks.Add(converted.Problem! with { Field = converted.Problem!.Field == "currency" ? "currency" : "rate" });
            }
        }
        long overpaid = 0;
        if (installment is not null && amount is { } paid && !checks.Failed("amount"))
        {
            var open = Math.Max(0, installment.AmountDueMinor - installment.AmountReceivedMinor);
            overpaid = Math.Max(0, paid.MinorUnits - open);
            checks.Require(overpaid == 0 || input.Overpayment, "amount",
                $"Installment #{installment.Sequence} still asks {new Money(open, installment.Currency)}; this is {new Money(overpaid, installment.Currency)} more. "
                + "Check the amount, or choose \"overpayment\" and say why to book it as one.");
            checks.Require(overpaid == 0 || !input.Overpayment
                || (!string.IsNullOrWhiteSpace(input.OverpaymentReason) && input.OverpaymentReason.Trim().Length <= Payment.VoidReasonMaxLength),
                "overpaymentReason", $"Say why more than the installment asks is booked (up to {Payment.VoidReasonMaxLength} characters).");
        }
        var reference = input.Reference?.Trim();
        checks.Require(!string.IsNullOrEmpty(reference) && reference.Length <= PaymentInput.ReferenceMaxLength, "reference",
            $"Enter the bank or invoice reference (up to {PaymentInput.ReferenceMaxLength} characters).");
        return checks.Problem is { } problem
            ? problem
            : Result<CheckedPayment>.Ok(new CheckedPayment(installment!, amount!.Value, rate, baseAmount!.Value, reference!, receivedOn!.Value, overpaid));
    }
}
