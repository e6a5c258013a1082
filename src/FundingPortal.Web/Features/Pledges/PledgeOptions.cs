namespace FundingPortal.Web.Features.Pledges;

/// <summary><c>Portal:PledgesPerHour</c> and whether card payment is on (<c>Stripe:SecretKey</c> set).</summary>
public sealed class PledgeOptions
{
    /// <summary>How many pledges one person may submit in an hour: enough for real use, too few for a script flooding the review queue.</summary>
    public int PledgesPerHour { get; set; } = 10;

    public bool CardPaymentsEnabled { get; set; }
}
