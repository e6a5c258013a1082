using FundingPortal.Core.Domain;

namespace FundingPortal.Web.Infrastructure;

/// <summary><c>Portal:*</c> settings that hold for the whole installation.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>The currency the ledger is kept in; every payment is converted to it at a recorded rate.</summary>
    public string BaseCurrency { get; set; } = "USD";

    /// <summary>
    /// The largest amount, in major units, one recorded payment (in the base currency) or one period of a pledge (in its currency) may
    /// be; anything above it is refused as a typing mistake.
    /// </summary>
    public decimal MaxAmount { get; set; } = 1_000_000m;

    public static IHostApplicationBuilder Add(IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PortalOptions>().BindConfiguration(Section)
            .Validate(o => Currency.IsKnown(o.BaseCurrency), "Portal:BaseCurrency must be an ISO 4217 code the portal knows, such as USD or EUR.")
            .Validate(o => o.MaxAmount > 0, "Portal:MaxAmount must be more than 0.")
            .ValidateOnStart();
        return builder;
    }
}
