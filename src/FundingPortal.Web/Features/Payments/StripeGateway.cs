using Microsoft.Extensions.Options;

using Stripe;
using Stripe.Checkout;

namespace FundingPortal.Web.Features.Payments;

/// <summary>What Stripe answered when a call failed, in words a sponsor or reviewer can read (never the key, never a stack trace).</summary>
public sealed class StripeUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The one seam between the portal and Stripe.net: one <see cref="IStripeClient"/> built from <see cref="StripeOptions"/>
/// (never the static <c>StripeConfiguration.ApiKey</c>). Every POST carries the idempotency key its caller derived from our rows.
/// </summary>
public sealed class StripeGateway
{
    private readonly IStripeClient? _client;

    public StripeGateway(IOptions<StripeOptions> options, IHttpClientFactory httpClients)
    {
        var value = options.Value;
        if (!value.Enabled)
        {
            return;
        }
        var http = httpClients.CreateClient(nameof(StripeGateway));
        _client = new StripeClient(new StripeClientOptions
        {
            ApiKey = value.SecretKey,
            ApiBase = string.IsNullOrWhiteSpace(value.ApiBase) ? null : value.ApiBase.TrimEnd('/'),
            HttpClient = new SystemNetHttpClient(http, maxNetworkRetries: 2, appInfo: null, enableTelemetry: false),
        });
    }

    public bool Enabled => _client is not null;

    private IStripeClient Client => _client ?? throw new InvalidOperationException("Card payment is off: Stripe:SecretKey is not configured.");

    public Task<Customer> CreateCustomerAsync(CustomerCreateOptions options, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync(() => new CustomerService(Client).CreateAsync(options, Key(idempotencyKey), cancellationToken));

    public Task<Session> CreateCheckoutSessionAsync(SessionCreateOptions options, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync(() => new SessionService(Client).CreateAsync(options, Key(idempotencyKey), cancellationToken));

    public Task<Stripe.Refund> CreateRefundAsync(RefundCreateOptions options, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync(() => new RefundService(Client).CreateAsync(options, Key(idempotencyKey), cancellationToken));

    public Task<Subscription> UpdateSubscriptionAsync(string id, SubscriptionUpdateOptions options, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync(() => new SubscriptionService(Client).UpdateAsync(id, options, Key(idempotencyKey), cancellationToken));

    public Task<Subscription> CancelSubscriptionAsync(string id, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync(() => new SubscriptionService(Client).CancelAsync(id, new SubscriptionCancelOptions(), Key(idempotencyKey), cancellationToken));

    public Task<StripeList<Session>> ListCheckoutSessionsAsync(string customerId, DateTime since, CancellationToken cancellationToken) =>
        CallAsync(() => new SessionService(Client).ListAsync(new SessionListOptions
        {
            Customer = customerId,
            Created = new DateRangeOptions { GreaterThanOrEqual = since },
            Limit = 100,
        }, null, cancellationToken));

    public Task<StripeList<Invoice>> ListInvoicesAsync(string customerId, DateTime since, CancellationToken cancellationToken) =>
        CallAsync(() => new InvoiceService(Client).ListAsync(new InvoiceListOptions
        {
            Customer = customerId,
            Status = "paid",
            Created = new DateRangeOptions { GreaterThanOrEqual = since },
            Limit = 100,
        }, null, cancellationToken));

    public Task<StripeList<Stripe.Refund>> ListRefundsAsync(string paymentIntentId, CancellationToken cancellationToken) =>
        CallAsync(() => new RefundService(Client).ListAsync(new RefundListOptions { PaymentIntent = paymentIntentId, Limit = 100 }, null, cancellationToken));

    private static RequestOptions Key(string idempotencyKey) => new() { IdempotencyKey = idempotencyKey };

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (StripeException e)
        {
            // Stripe's own message names the parameter at fault; it never contains the secret key.
            throw new StripeUnavailableException($"Stripe refused the request: {e.StripeError?.Message ?? e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new StripeUnavailableException("Stripe could not be reached. Nothing was charged; try again in a few minutes.", e);
        }
    }
}
