namespace FundingPortal.Web.Features.Payments;

/// <summary>Card payments with Stripe: options, the client seam, Checkout, the webhook, refunds and reconciliation.</summary>
public static class PaymentsModule
{
    public static IHostApplicationBuilder AddPayments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.Section)
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.WebhookSecret),
                "Stripe:WebhookSecret is required when Stripe:SecretKey is set (payments are booked only from signed webhooks).")
            .Validate(o => string.IsNullOrWhiteSpace(o.ApiBase) || Uri.TryCreate(o.ApiBase, UriKind.Absolute, out _),
                "Stripe:ApiBase must be an absolute URL, or empty for Stripe's own API.")
            .Validate(o => o.WebhookToleranceSeconds is > 0 and <= 3600, "Stripe:WebhookToleranceSeconds must be from 1 to 3600.")
            .Validate(o => o.ReconcileIntervalMinutes is >= 0 and <= 7 * 24 * 60, "Stripe:ReconcileIntervalMinutes must be from 0 (off) to 10080.")
            .ValidateOnStart();
        builder.Services.AddHttpClient(nameof(StripeGateway));
        builder.Services.AddSingleton<StripeGateway>();
        builder.Services.AddSingleton<BookCardPayment>();
        // The Stripe event table: one handler per event type (see ApplyStripeEvent).
        builder.Services.AddStripeEvent<CheckoutSessionCompleted>()
            .AddStripeEvent<CheckoutSessionAsyncPaymentSucceeded>()
            .AddStripeEvent<CheckoutSessionAsyncPaymentFailed>()
            .AddStripeEvent<InvoicePaid>()
            .AddStripeEvent<InvoicePaymentFailed>()
            .AddStripeEvent<ChargeRefunded>()
            .AddStripeEvent<CustomerSubscriptionDeleted>();
        builder.Services.AddSingleton<ApplyStripeEvent>();
        builder.Services.AddSingleton<ReceiveStripeEvent>();
        builder.Services.AddSingleton<Reconcile>();
        builder.Services.AddHostedService<ReconcileJob>();
        builder.AddHandlers(typeof(RecordPayment), typeof(StartCheckout), typeof(CheckoutStatus), typeof(RefundPayment), typeof(VoidPayment),
            typeof(RequestPayments), typeof(ReviewStripeEvents));
        return builder;
    }

    /// <summary>Adds the handler of one Stripe event type to the table <see cref="ApplyStripeEvent"/> dispatches on.</summary>
    public static IServiceCollection AddStripeEvent<THandler>(this IServiceCollection services) where THandler : class, IStripeEventApplier =>
        services.AddSingleton<IStripeEventApplier, THandler>();

    public static IEndpointRouteBuilder MapPaymentEndpoints(this IEndpointRouteBuilder app)
    {
        // Stripe signs the raw body; no cookies and no antiforgery here, the signature is the authentication.
        app.MapPost("/api/stripe/webhook", async (HttpRequest request, ReceiveStripeEvent receive, CancellationToken cancellationToken) =>
        {
            using var reader = new StreamReader(request.Body);
            var json = await reader.ReadToEndAsync(cancellationToken);
            return await receive.ReceiveAsync(json, request.Headers["Stripe-Signature"].FirstOrDefault(), cancellationToken) switch
            {
                WebhookOutcome.Applied or WebhookOutcome.NeedsReview => Results.Ok(),
                WebhookOutcome.Refused => Results.Problem("The Stripe-Signature header is missing or does not match this body.", statusCode: StatusCodes.Status400BadRequest),
                _ => Results.Problem("The event is stored but could not be applied yet; Stripe will send it again.", statusCode: StatusCodes.Status500InternalServerError),
            };
        })
        .DisableAntiforgery()
        .AllowAnonymous()
        .WithName("StripeWebhook")
        .WithSummary("Stripe webhook: signed events for Checkout, invoices, refunds and subscriptions.");
        return app;
    }
}
