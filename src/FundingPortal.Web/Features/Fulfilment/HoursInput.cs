namespace FundingPortal.Web.Features.Fulfilment;

/// <summary>What a sponsor member types to log hours delivered.</summary>
public sealed class HoursInput
{
    public DateTime? Date { get; set; }

    public string? Engineer { get; set; }

    /// <summary>Decimal hours, such as 2.5.</summary>
    public string? Hours { get; set; }

    public string? Description { get; set; }
}
