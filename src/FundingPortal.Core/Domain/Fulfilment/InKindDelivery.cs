namespace FundingPortal.Core.Domain;

/// <summary>Infrastructure delivered in kind (credits granted, runners online) for a period, counted at its stated value once a reviewer confirms.</summary>
public class InKindDelivery : DeliveredInKind<InKindDelivery>
{
    private InKindDelivery()
    {
    }

    public DateOnly DeliveredOn { get; private set; }

    public long ValueMinor { get; private set; }

    public string Currency { get; private set; } = "";

    public Money Value => new(ValueMinor, Currency);

    // Whoever recorded a delivery does not confirm it too; a reviewer who recorded one by mistake may still reject it.
    private static readonly ReviewRules DeliveryReview = new("This delivery was", "Another reviewer must confirm a delivery you recorded yourself.",
        "Say why the delivery is not accepted.", "A delivery is confirmed against the installment it was recorded on.", MayRejectOwn: true);

    public static Result<InKindDelivery> Record(Pledge pledge, DateOnly on, string? description, Money value, string userId, DateOnly today)
    {
        if (pledge.Kind != PledgeKind.Infrastructure)
        {
            return Result<InKindDelivery>.Invalid("pledge", "Deliveries are recorded against an infrastructure pledge.");
        }
        if (value.Currency != pledge.Currency)
        {
            return Result<InKindDelivery>.Invalid("value", $"State the value in the pledge's currency, {pledge.Currency}.");
        }
        if (value.MinorUnits <= 0)
        {
            return Result<InKindDelivery>.Invalid("value", "The stated value must be more than zero.");
        }
        if (on > today || on < pledge.StartDate)
        {
            return Result<InKindDelivery>.Invalid("on", "The delivery date must be between the pledge's start and today.");
        }
        if (string.IsNullOrWhiteSpace(description) || description.Trim().Length > DescriptionMaxLength)
        {
            return Result<InKindDelivery>.Invalid("description", "Say what was delivered (up to 2000 characters).");
        }
        return Recorded(new InKindDelivery { DeliveredOn = on, ValueMinor = value.MinorUnits, Currency = value.Currency }, pledge, on, description,
            userId, "This pledge has no period a delivery can count against (it is not accepted, or was stopped).");
    }

    protected override ReviewRules Rules => DeliveryReview;

    protected override Result<Installment> CountOn(Installment installment) => installment.RecordReceived(Value);
}
