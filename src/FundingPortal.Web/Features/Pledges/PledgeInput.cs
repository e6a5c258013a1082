namespace FundingPortal.Web.Features.Pledges;

/// <summary>
/// The pledge form as typed: text where a person types, so the server can name the field that is wrong.
/// <see cref="SubmitPledge"/> turns it into an (unsaved) <see cref="Pledge"/> or a problem.
/// </summary>
public sealed class PledgeInput
{
    public const int DescriptionMaxLength = 1000;

    public int? FundId { get; set; }

    public PledgeKind Kind { get; set; } = PledgeKind.Money;

    public PledgeFrequency Frequency { get; set; } = PledgeFrequency.Monthly;

    /// <summary>yyyy-MM-dd, as a date input sends it.</summary>
    public string Start { get; set; } = "";

    /// <summary>Optional end (for a one-off: the day it is delivered by).</summary>
    public string? End { get; set; }

    public int? Periods { get; set; }

    public string? Amount { get; set; }

    public string Currency { get; set; } = "USD";

    public PaymentMethod PaymentMethod { get; set; } = PaymentMethod.Invoice;

    public PaymentTiming PaymentTiming { get; set; } = PaymentTiming.Now;

    public string? Hours { get; set; }

    public string? EngineerName { get; set; }

    public string? Rate { get; set; }

    public InfrastructureKind InfrastructureKind { get; set; } = InfrastructureKind.CiCredits;

    public string? Description { get; set; }

    public string? Value { get; set; }

    /// <summary>The form prefilled from a pledge, for amending it after a reviewer asked for changes.</summary>
    public static PledgeInput From(Pledge pledge)
    {
        var input = new PledgeInput
        {
            FundId = pledge.FundId,
            Kind = pledge.Kind,
            Frequency = pledge.Frequency,
            Start = pledge.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            End = pledge.EndDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Periods = pledge.Frequency == PledgeFrequency.OneOff ? null : pledge.PeriodCount,
            Currency = pledge.Currency,
            PaymentMethod = pledge.PaymentMethod ?? PaymentMethod.Invoice,
            PaymentTiming = pledge.PaymentTiming ?? PaymentTiming.Now,
            EngineerName = pledge.EngineerName,
            InfrastructureKind = pledge.InfrastructureKind ?? InfrastructureKind.CiCredits,
            Description = pledge.InfrastructureDescription,
        };
        var major = Major(pledge.AmountMinor, pledge.Currency);
        switch (pledge.Kind)
        {
            case PledgeKind.Money:
                input.Amount = major;
                break;
            case PledgeKind.EngineerTime:
                input.Hours = pledge.HoursPerPeriod.TotalHours.ToString("0.##", CultureInfo.InvariantCulture);
                input.Rate = Major(pledge.HourlyValuationMinor, pledge.Currency);
                break;
            default:
                input.Value = major;
                break;
        }
        return input;
    }

    private static string Major(long minor, string currency) =>
        new Money(minor, currency).ToMajor().ToString(CultureInfo.InvariantCulture);
}
