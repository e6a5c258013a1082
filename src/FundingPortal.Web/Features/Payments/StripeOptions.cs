namespace FundingPortal.Web.Features.Payments;

/// <summary>
/// <c>Stripe:*</c> settings. With no secret key card payment is off and money pledges go by invoice or bank transfer.
/// The keys are secrets: they are never logged, shown or put in an exception message (<see cref="ToString"/> hides them).
/// </summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    public string? SecretKey { get; set; }

    public string? PublishableKey { get; set; }

    public string? WebhookSecret { get; set; }

    /// <summary>Empty in production (Stripe's own API); tests point it at a fake server on loopback.</summary>
    public string? ApiBase { get; set; }

    /// <summary>How old (or how far in the future) a webhook's signed timestamp may be.</summary>
    public int WebhookToleranceSeconds { get; set; } = 300;

    /// <summary>Minutes between runs of the reconciliation job; 0 switches it off.</summary>
    public int ReconcileIntervalMinutes { get; set; } = 60;

    public bool Enabled => !string.IsNullOrWhiteSpace(SecretKey);

    public override string ToString() => $"Stripe (enabled: {Enabled}, api base: {(string.IsNullOrWhiteSpace(ApiBase) ? "default" : ApiBase)})";
}
