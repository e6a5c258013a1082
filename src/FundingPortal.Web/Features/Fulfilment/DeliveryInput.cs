namespace FundingPortal.Web.Features.Fulfilment;

/// <summary>What someone types to record infrastructure delivered in kind.</summary>
public sealed class DeliveryInput
{
    public DateTime? On { get; set; }

    public string? Description { get; set; }

    /// <summary>Stated value in the pledge's currency, such as 1250.00.</summary>
    public string? Value { get; set; }
}
