using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FundingPortal.IntegrationTests.Infrastructure;

/// <summary>One request the fake received: method, path, decoded form body and the headers that matter.</summary>
public sealed record StripeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Form, string? IdempotencyKey, string? StripeVersion, string? Authorization);

/// <summary>
/// A fake Stripe API on a loopback port, inside the test process. It answers the calls the portal makes (customers, Checkout
/// Sessions, refunds, subscriptions, and the lists reconciliation reads) with realistic JSON, replays the first answer for a
/// repeated idempotency key like Stripe does, and records every request. Its Checkout page lets a browser "pay": it signs a
/// <c>checkout.session.completed</c> event with the webhook secret, posts it to the portal and redirects to the success URL.
/// Shared by the integration tests and (linked as source) the browser tests.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    public const string ApiVersion = "2026-10-28.endive";
    public const string SecretKey = "sk_test_fake_0123456789";
    public const string WebhookSecret = "whsec_test_fake_secret";

    private readonly ConcurrentQueue<StripeRequest> _requests = new();
    private readonly ConcurrentDictionary<string, string> _replies = new();
    private readonly ConcurrentDictionary<string, JsonObject> _sessions = new();
    private WebApplication? _app;
    private int _counter;

    public Uri BaseUrl { get; private set; } = default!;

    /// <summary>Where the Checkout page posts its signed webhook (the portal's <c>/api/stripe/webhook</c>).</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>Answer every API call with this status (500: Stripe is down) until set back to null.</summary>
    public int? FailWith { get; set; }

    /// <summary>Lists that reconciliation reads; tests put Stripe objects (as JSON) in them.</summary>
    public ConcurrentBag<JsonObject> ListedSessions { get; } = [];

    public ConcurrentBag<JsonObject> ListedInvoices { get; } = [];

    public ConcurrentBag<JsonObject> ListedRefunds { get; } = [];

    public IReadOnlyList<StripeRequest> Requests => [.. _requests];

    public IEnumerable<StripeRequest> RequestsTo(string method, string pathStart) =>
        Requests.Where(r => r.Method == method && r.Path.StartsWith(pathStart, StringComparison.Ordinal));

    public static async Task<FakeStripe> StartAsync()
    {
        var fake = new FakeStripe();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddHttpClient();
        var app = builder.Build();
        fake.Map(app);
        await app.StartAsync();
        fake._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address);
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>A webhook body for the pinned API version, and its <c>Stripe-Signature</c> header signed at <paramref name="at"/>.</summary>
    public static (string Json, string Header) SignedEvent(string type, JsonObject data, string? eventId = null, string secret = WebhookSecret, DateTimeOffset? at = null)
    {
        var json = Event(type, data, eventId);
        return (json, SignatureHeader(json, secret, at));
    }

    public static string Event(string type, JsonObject data, string? eventId = null) => new JsonObject
    {
        ["id"] = eventId ?? $"evt_{Guid.NewGuid():N}",
        ["object"] = "event",
        ["api_version"] = ApiVersion,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
        ["type"] = type,
        ["data"] = new JsonObject { ["object"] = data.DeepClone() },
    }.ToJsonString();

    public static string SignatureHeader(string json, string secret = WebhookSecret, DateTimeOffset? at = null)
    {
        var t = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        return $"t={t.ToString(CultureInfo.InvariantCulture)},v1={Stripe.EventUtility.ComputeSignature(secret, t.ToString(CultureInfo.InvariantCulture), json)}";
    }

    /// <summary>A completed, paid one-off Checkout Session for a pledge, as Stripe sends it.</summary>
    public static JsonObject PaidSession(int pledgeId, int organisationId, long amount, string currency, string? sessionId = null, string? paymentIntentId = null,
        string mode = "payment", string paymentStatus = "paid", string? subscriptionId = null) => new()
        {
            ["id"] = sessionId ?? $"cs_test_{Guid.NewGuid():N}",
            ["object"] = "checkout.session",
            ["mode"] = mode,
            ["status"] = "complete",
            ["payment_status"] = paymentStatus,
            ["amount_total"] = amount,
            ["amount_subtotal"] = amount,
            ["currency"] = currency.ToLowerInvariant(),
            ["client_reference_id"] = pledgeId.ToString(CultureInfo.InvariantCulture),
            ["customer"] = "cus_fake",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["metadata"] = Metadata(pledgeId, organisationId),
            ["payment_intent"] = mode == "payment" ? paymentIntentId ?? $"pi_{Guid.NewGuid():N}" : null,
            ["subscription"] = subscriptionId,
        };

    public static JsonObject PaidInvoice(int pledgeId, int organisationId, string subscriptionId, long amount, string currency, string? invoiceId = null) => new()
    {
        ["id"] = invoiceId ?? $"in_{Guid.NewGuid():N}",
        ["object"] = "invoice",
        ["status"] = "paid",
        ["amount_paid"] = amount,
        ["amount_due"] = amount,
        ["currency"] = currency.ToLowerInvariant(),
        ["customer"] = "cus_fake",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["attempt_count"] = 1,
        ["livemode"] = false,
        ["parent"] = new JsonObject
        {
            ["type"] = "subscription_details",
            ["subscription_details"] = new JsonObject { ["subscription"] = subscriptionId, ["metadata"] = Metadata(pledgeId, organisationId) },
        },
    };

    public static JsonObject RefundedCharge(string paymentIntentId, long amount, string currency, params (string Id, long Amount)[] refunds) => new()
    {
        ["id"] = $"ch_{Guid.NewGuid():N}",
        ["object"] = "charge",
        ["amount"] = amount,
        ["amount_refunded"] = refunds.Sum(r => r.Amount),
        ["currency"] = currency.ToLowerInvariant(),
        ["payment_intent"] = paymentIntentId,
        ["refunded"] = refunds.Sum(r => r.Amount) >= amount,
        ["livemode"] = false,
        ["refunds"] = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. refunds.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Id,
                ["object"] = "refund",
                ["amount"] = r.Amount,
                ["currency"] = currency.ToLowerInvariant(),
                ["status"] = "succeeded",
                ["payment_intent"] = paymentIntentId,
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            })]),
            ["has_more"] = false,
        },
    };

    public static JsonObject Metadata(int pledgeId, int organisationId) => new()
    {
        ["pledge_id"] = pledgeId.ToString(CultureInfo.InvariantCulture),
        ["organisation_id"] = organisationId.ToString(CultureInfo.InvariantCulture),
    };

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/v1"))
            {
                var form = context.Request.HasFormContentType
                    ? (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString())
                    : context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
                var request = new StripeRequest(context.Request.Method, context.Request.Path.Value!, form,
                    context.Request.Headers["Idempotency-Key"].FirstOrDefault(), context.Request.Headers["Stripe-Version"].FirstOrDefault(),
                    context.Request.Headers.Authorization.FirstOrDefault());
                _requests.Enqueue(request);
                if (FailWith is { } status)
                {
                    context.Response.StatusCode = status;
                    await context.Response.WriteAsJsonAsync(new { error = new { type = "api_error", message = "The fake Stripe is down." } });
                    return;
                }
                var replayKey = request.IdempotencyKey is { } key ? $"{request.Method} {request.Path} {key}" : null;
                if (replayKey is not null && _replies.TryGetValue(replayKey, out var replay))
                {
                    context.Response.ContentType = "application/json";
                    context.Response.Headers["Idempotent-Replayed"] = "true";
                    await context.Response.WriteAsync(replay);
                    return;
                }
                var reply = Answer(request);
                if (reply is null)
                {
                    context.Response.StatusCode = 404;
                    await context.Response.WriteAsJsonAsync(new { error = new { type = "invalid_request_error", message = $"Unrecognized request URL ({request.Method}: {request.Path})." } });
                    return;
                }
                if (replayKey is not null)
                {
                    reply = _replies.GetOrAdd(replayKey, reply);
                }
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(reply);
                return;
            }
            await next(context);
        });
        app.MapGet("/checkout/{id}", (string id) => _sessions.TryGetValue(id, out var session)
            ? Results.Content(
                $"<!doctype html><html><head><title>Fake Stripe Checkout</title></head><body style=\"font-family:sans-serif;max-width:480px;margin:40px auto\">" +
                $"<h1>Fake Stripe Checkout</h1><p id=\"checkout-amount\">{WebUtility.HtmlEncode(session["amount_total"]!.ToString())} {WebUtility.HtmlEncode(session["currency"]!.ToString().ToUpperInvariant())}</p>" +
                $"<p>Card 4242 4242 4242 4242</p><form method=\"post\" action=\"/checkout/{WebUtility.HtmlEncode(id)}/pay\"><button id=\"fake-pay\" type=\"submit\">Pay</button></form></body></html>",
                "text/html")
            : Results.NotFound());
        app.MapPost("/checkout/{id}/pay", async (string id, IHttpClientFactory clients) =>
        {
            if (!_sessions.TryGetValue(id, out var session) || WebhookUrl is null)
            {
                return Results.NotFound();
            }
            var paid = (JsonObject)session.DeepClone();
            paid["status"] = "complete";
            paid["payment_status"] = "paid";
            paid.Remove("url");
            if (paid["mode"]!.ToString() == "subscription")
            {
                paid["subscription"] = $"sub_{id}";
            }
            var (json, header) = SignedEvent("checkout.session.completed", paid);
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            content.Headers.Add("Stripe-Signature", header);
            using var response = await clients.CreateClient().PostAsync(WebhookUrl, content);
            response.EnsureSuccessStatusCode();
            return Results.Redirect(session["success_url"]!.ToString().Replace("{CHECKOUT_SESSION_ID}", id, StringComparison.Ordinal));
        }).DisableAntiforgery();
    }

    private string? Answer(StripeRequest request)
    {
        var n = Interlocked.Increment(ref _counter);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        switch (request.Method, request.Path)
        {
            case ("POST", "/v1/customers"):
                return new JsonObject { ["id"] = $"cus_fake{n}", ["object"] = "customer", ["created"] = now, ["email"] = request.Form.GetValueOrDefault("email"), ["livemode"] = false }.ToJsonString();
            case ("POST", "/v1/checkout/sessions"):
                {
                    var id = $"cs_test_fake{n}_{Guid.NewGuid():N}";
                    var metadata = new JsonObject();
                    foreach (var (key, value) in request.Form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal)))
                    {
                        metadata[key["metadata[".Length..^1]] = value;
                    }
                    var session = new JsonObject
                    {
                        ["id"] = id,
                        ["object"] = "checkout.session",
                        ["mode"] = request.Form.GetValueOrDefault("mode"),
                        ["status"] = "open",
                        ["payment_status"] = "unpaid",
                        ["amount_total"] = long.Parse(request.Form.GetValueOrDefault("line_items[0][price_data][unit_amount]") ?? "0", CultureInfo.InvariantCulture),
                        ["currency"] = request.Form.GetValueOrDefault("line_items[0][price_data][currency]"),
                        ["client_reference_id"] = request.Form.GetValueOrDefault("client_reference_id"),
                        ["customer"] = request.Form.GetValueOrDefault("customer"),
                        ["metadata"] = metadata,
                        ["success_url"] = request.Form.GetValueOrDefault("success_url"),
                        ["cancel_url"] = request.Form.GetValueOrDefault("cancel_url"),
                        ["payment_intent"] = request.Form.GetValueOrDefault("mode") == "payment" ? $"pi_fake{n}_{Guid.NewGuid():N}" : null,
                        ["created"] = now,
                        ["livemode"] = false,
                        ["url"] = new Uri(BaseUrl, $"checkout/{id}").AbsoluteUri,
                    };
                    _sessions[id] = session;
                    return session.ToJsonString();
                }
            case ("POST", "/v1/refunds"):
                return new JsonObject
                {
                    ["id"] = $"re_fake{n}",
                    ["object"] = "refund",
                    ["amount"] = long.Parse(request.Form.GetValueOrDefault("amount") ?? "0", CultureInfo.InvariantCulture),
                    ["currency"] = "usd",
                    ["payment_intent"] = request.Form.GetValueOrDefault("payment_intent"),
                    ["status"] = "succeeded",
                    ["created"] = now,
                }.ToJsonString();
            case ("POST", var path) when path.StartsWith("/v1/subscriptions/", StringComparison.Ordinal):
            case ("DELETE", var deleted) when deleted.StartsWith("/v1/subscriptions/", StringComparison.Ordinal):
                return new JsonObject
                {
                    ["id"] = request.Path["/v1/subscriptions/".Length..],
                    ["object"] = "subscription",
                    ["status"] = request.Method == "DELETE" ? "canceled" : "active",
                    ["created"] = now,
                    ["livemode"] = false,
                }.ToJsonString();
            case ("GET", "/v1/checkout/sessions"):
                return List(ListedSessions.Where(s => s["customer"]?.ToString() == request.Form.GetValueOrDefault("customer")), "/v1/checkout/sessions");
            case ("GET", "/v1/invoices"):
                return List(ListedInvoices.Where(s => s["customer"]?.ToString() == request.Form.GetValueOrDefault("customer")), "/v1/invoices");
            case ("GET", "/v1/refunds"):
                return List(ListedRefunds.Where(s => s["payment_intent"]?.ToString() == request.Form.GetValueOrDefault("payment_intent")), "/v1/refunds");
            default:
                return null;
        }
    }

    private static string List(IEnumerable<JsonObject> items, string url) => new JsonObject
    {
        ["object"] = "list",
        ["url"] = url,
        ["has_more"] = false,
        ["data"] = new JsonArray([.. items.Select(i => i.DeepClone())]),
    }.ToJsonString();
}
