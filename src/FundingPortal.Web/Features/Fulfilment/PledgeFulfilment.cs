
using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Fulfilment;

/// <param name="StillAsked">What a money installment still asks, as the amount field takes it ("250.00"); null for hours.</param>
public sealed record InstallmentView(int Id, int Sequence, DateOnly DueDate, string Due, string Delivered, InstallmentStatus Status, bool IsOpen, string? StillAsked);

public sealed record PaymentView(int Id, DateOnly ReceivedOn, string Amount, string BaseAmount, decimal Rate, PaymentChannel Channel, string? Reference,
    PaymentStatus Status = PaymentStatus.Received, string? FlagReason = null, string? Overpaid = null, string? OverpaymentReason = null, string? VoidReason = null,
    string? RecordedByUserId = null)
{
    /// <summary>A bank or invoice payment still standing can be voided, by a reviewer other than the one who recorded it.</summary>
    public bool CanBeVoidedBy(string userId) =>
        Channel != PaymentChannel.Stripe && Status is PaymentStatus.Received or PaymentStatus.Flagged && RecordedByUserId != userId;
}

public sealed record PledgeFulfilmentView(int PledgeId, int OrganisationId, string Organisation, string Fund, PledgeKind Kind, PledgeStatus Status,
    string Currency, string BaseCurrency, string? EngineerName, decimal? HonouredRateOfTotals, IReadOnlyList<InstallmentView> Installments,
    IReadOnlyList<PaymentView> Payments);

/// <summary>One pledge as a reviewer follows its fulfilment: installments, what arrived against each, payments, the honoured rate.</summary>
public sealed class PledgeFulfilment(Handlers handlers, IOptions<PortalOptions> portal)
{
    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers see a pledge's fulfilment here.");

    public Task<Result<PledgeFulfilmentView>> GetAsync(int pledgeId, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers, async scope =>
            await LoadAsync(scope.Db, pledgeId, scope.Today, portal.Value.BaseCurrency, cancellationToken) is { } view
                ? Result<PledgeFulfilmentView>.Ok(view)
                : Result<PledgeFulfilmentView>.NotFound("The pledge"), cancellationToken);

    /// <summary>The pledge's fulfilment for whoever the caller has already checked may see it (reviewer, or a member of its organisation).</summary>
    internal static async Task<PledgeFulfilmentView?> LoadAsync(AppDbContext db, int pledgeId, DateOnly today, string baseCurrency, CancellationToken cancellationToken)
    {
        var pledge = await db.Pledges.AsNoTracking().Include(p => p.Installments).Include(p => p.Organisation).Include(p => p.Fund)
            .SingleOrDefaultAsync(p => p.Id == pledgeId, cancellationToken);
        if (pledge is null)
        {
            return null;
        }
        var payments = await db.Payments.AsNoTracking().Where(p => p.PledgeId == pledgeId).OrderBy(p => p.ReceivedAt).ToListAsync(cancellationToken);
        return new PledgeFulfilmentView(pledge.Id, pledge.OrganisationId, pledge.Organisation!.Name, pledge.Fund!.Name, pledge.Kind, pledge.Status,
            pledge.Currency, baseCurrency, pledge.EngineerName, pledge.HonouredRateOfTotals(today, await HonouredRates.GraceDaysAsync(db, cancellationToken)),
            pledge.Installments.OrderBy(i => i.Sequence).Select(i => new InstallmentView(i.Id, i.Sequence, i.DueDate,
                Display.Units(i.HoursDueMinutes > 0, i.HoursDueMinutes, i.AmountDueMinor, i.Currency),
                Display.Units(i.HoursDueMinutes > 0, i.HoursDeliveredMinutes, i.AmountReceivedMinor, i.Currency), i.Status, i.IsOpen,
                i.HoursDueMinutes > 0 ? null : new Money(Math.Max(0, i.AmountDueMinor - i.AmountReceivedMinor), i.Currency).ToMajor()
                    .ToString("0." + new string('0', Currency.Exponent(i.Currency)), CultureInfo.InvariantCulture).TrimEnd('.'))).ToList(),
            payments.Select(p => new PaymentView(p.Id, DateOnly.FromDateTime(p.ReceivedAt), p.Amount.ToString(), p.BaseAmount.ToString(),
                p.ExchangeRate, p.Channel, p.Reference, p.Status, p.FlagReason,
                p.OverpaidMinor > 0 ? new Money(p.OverpaidMinor, p.Currency).ToString() : null, p.OverpaymentReason, p.VoidReason, p.RecordedByUserId)).ToList());
    }
}
