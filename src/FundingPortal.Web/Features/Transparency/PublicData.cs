using System.Text;
using System.Text.Json;

namespace FundingPortal.Web.Features.Transparency;

/// <summary>An amount in minor units, written in major units with exactly the currency's decimals ("12.50", "1200").</summary>
public readonly record struct PublicAmount(long Minor, int Exponent)
{
    public override string ToString() => PublicExports.Major(Minor, Exponent);
}

/// <summary>One public export: its columns and its rows, streamed from the database, written as CSV or JSON from the same rows.</summary>
public sealed record PublicTable(string Name, string Summary, IReadOnlyList<string> Columns, Func<AppDbContext, string, IAsyncEnumerable<object?[]>> Rows);

/// <summary>
/// The public exports from which every published figure can be recomputed (docs/transparency.md): ledger lines, accepted pledges, their
/// installments, engineer time, in-kind deliveries and CI usage at full precision. Sponsors appear only under their public label; no
/// e-mail, note, description, reference or engineer name leaves the portal.
/// </summary>
public static class PublicData
{
    public static readonly IReadOnlyList<PublicTable> Tables =
    [
        new("ledger", "Every ledger line, oldest first, with the line it reverses and the payment it belongs to; amounts in the base currency.",
            ["id", "occurred_at", "month", "kind", "reverses_id", "reversed_kind", "payment_id", "fund", "fund_kind", "task_slug", "counterparty", "amount", "currency"],
            LedgerAsync),
        new("pledges", "Every pledge that was accepted, with its schedule and what it promises per period; the sponsor under its public label.",
            ["id", "fund", "task_slug", "sponsor", "kind", "status", "frequency", "start_date", "end_date", "period_count", "amount_per_period", "minutes_per_period",
             "currency", "infrastructure_kind"],
            PledgesAsync),
        new("installments", "What each accepted pledge asks per period and what was delivered against it (money or stated value in its currency, engineer time in minutes).",
            ["id", "pledge_id", "sequence", "period_start", "period_end", "due_date", "unit", "asked", "delivered", "status"],
            InstallmentsAsync),
        new("time-entries", "Engineer time logged against pledges, in minutes, with its review status.",
            ["id", "pledge_id", "date", "fund", "task_slug", "sponsor", "minutes", "status"],
            TimeEntriesAsync),
        new("in-kind", "Infrastructure delivered in kind against pledges, at its stated value, with its review status.",
            ["id", "pledge_id", "delivered_on", "fund", "task_slug", "sponsor", "infrastructure_kind", "value", "currency", "status"],
            InKindAsync),
        new("ci-usage", "CI usage per month, provider, project, job, status and retry flag, at full precision (billable minutes; money to six decimals).",
            ["month", "provider", "project", "job", "status", "is_retry", "currency", "runs", "duration_seconds", "minutes", "list_price", "paid"],
            CiUsageAsync),
    ];

    public static async Task WriteCsvAsync(PublicTable table, AppDbContext db, string baseCurrency, Stream output, CancellationToken cancellationToken)
    {
        var writer = new StreamWriter(output, new UTF8Encoding(false), bufferSize: 16 * 1024);
        await writer.WriteLineAsync(string.Join(',', table.Columns));
        await foreach (var row in table.Rows(db, baseCurrency).WithCancellation(cancellationToken))
        {
            await writer.WriteLineAsync(PublicExports.Row(row.Select(Text).ToArray()));
        }
        // Flushed, not disposed: the response stream (or the output cache's copy of it) belongs to the server.
        await writer.FlushAsync(cancellationToken);
    }

    public static async Task WriteJsonAsync(PublicTable table, AppDbContext db, string baseCurrency, Stream output, CancellationToken cancellationToken)
    {
        var json = new Utf8JsonWriter(output);
        json.WriteStartArray();
        await foreach (var row in table.Rows(db, baseCurrency).WithCancellation(cancellationToken))
        {
            json.WriteStartObject();
            for (var i = 0; i < row.Length; i++)
            {
                json.WritePropertyName(table.Columns[i]);
                switch (row[i])
                {
                    case null: json.WriteNullValue(); break;
                    case string text: json.WriteStringValue(text); break;
                    case bool flag: json.WriteBooleanValue(flag); break;
                    case long number: json.WriteNumberValue(number); break;
                    case int number: json.WriteNumberValue(number); break;
                    case decimal number: json.WriteNumberValue(number); break;
                    case PublicAmount amount: json.WriteRawValue(amount.ToString()); break;
                    case var other: json.WriteStringValue(Text(other)); break;
                }
            }
            json.WriteEndObject();
            if (json.BytesPending > 16 * 1024)
            {
                await json.FlushAsync(cancellationToken);
            }
        }
        json.WriteEndArray();
        await json.FlushAsync(cancellationToken);
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        DateTime time => time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        decimal number => PublicExports.Invariant(number),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Month(DateTime at) => at.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static async IAsyncEnumerable<object?[]> LedgerAsync(AppDbContext db, string baseCurrency)
    {
        var exponent = Currency.Exponent(baseCurrency);
        await foreach (var line in PublicFigures.PublicLedger(db).AsNoTracking().AsAsyncEnumerable())
        {
            yield return [line.Id, line.OccurredAt, Month(line.CountsAt), line.Kind.ToString(), line.ReversesId, line.ReversedKind.ToString(), line.PaymentId,
                line.Fund, line.FundKind.ToString(), line.TaskSlug, line.Counterparty, new PublicAmount(line.AmountMinor, exponent), baseCurrency];
        }
    }

    /// <summary>Pledges ever accepted (they have installments), each with its fund and public sponsor label.</summary>
    private static IQueryable<PublicPledge> Pledges(AppDbContext db) =>
        from pledge in db.Pledges
        where pledge.Installments.Any()
        join fund in db.Funds on pledge.FundId equals fund.Id
        join task in db.Tasks on fund.TaskId equals task.Id into tasks
        from task in tasks.DefaultIfEmpty()
        join organisation in db.Organisations on pledge.OrganisationId equals organisation.Id
        select new PublicPledge
        {
            Pledge = pledge,
            Fund = fund.Name,
            TaskSlug = task == null ? null : task.Slug,
            Sponsor = SponsorLabels.UndisclosedPledges(db).Contains(pledge.Id) ? SponsorLabels.Undisclosed
                : organisation.Listing == PublicListing.ByName ? organisation.Name
#pragma warning disable CA1305 // Translated to SQL, where an integer has no culture.
                : SponsorLabels.AnonymousPrefix + organisation.Id.ToString(),
#pragma warning restore CA1305
        };

    private static async IAsyncEnumerable<object?[]> PledgesAsync(AppDbContext db, string baseCurrency)
    {
        await foreach (var row in Pledges(db).OrderBy(p => p.Pledge.Id).AsNoTracking().AsAsyncEnumerable())
        {
            var p = row.Pledge;
            yield return [p.Id, row.Fund, row.TaskSlug, row.Sponsor, p.Kind.ToString(), p.Status.ToString(), p.Frequency.ToString(), p.StartDate, p.EndDate, p.PeriodCount,
                p.Kind == PledgeKind.EngineerTime ? null : new PublicAmount(p.AmountMinor, Currency.Exponent(p.Currency)),
                p.Kind == PledgeKind.EngineerTime ? p.HoursPerPeriodMinutes : null,
                p.Currency, p.InfrastructureKind?.ToString()];
        }
    }

    private static async IAsyncEnumerable<object?[]> InstallmentsAsync(AppDbContext db, string baseCurrency)
    {
        var installments = from installment in db.Installments
                           join pledge in db.Pledges on installment.PledgeId equals pledge.Id
                           orderby installment.PledgeId, installment.Sequence
                           select new { installment, pledge.Kind };
        await foreach (var row in installments.AsNoTracking().AsAsyncEnumerable())
        {
            var i = row.installment;
            var time = row.Kind == PledgeKind.EngineerTime;
            var exponent = Currency.IsKnown(i.Currency) ? Currency.Exponent(i.Currency) : 2;
            yield return [i.Id, i.PledgeId, i.Sequence, i.PeriodStart, i.PeriodEnd, i.DueDate, time ? "minutes" : i.Currency,
                time ? i.HoursDueMinutes : new PublicAmount(i.AmountDueMinor, exponent),
                time ? i.HoursDeliveredMinutes : new PublicAmount(i.AmountReceivedMinor, exponent),
                i.Status.ToString()];
        }
    }

    private static async IAsyncEnumerable<object?[]> TimeEntriesAsync(AppDbContext db, string baseCurrency)
    {
        var entries = from entry in db.TimeEntries
                      join pledge in Pledges(db) on entry.PledgeId equals pledge.Pledge.Id
                      orderby entry.Id
                      select new { entry.Id, entry.PledgeId, entry.Date, pledge.Fund, pledge.TaskSlug, pledge.Sponsor, entry.Minutes, entry.Status };
        await foreach (var e in entries.AsNoTracking().AsAsyncEnumerable())
        {
            yield return [e.Id, e.PledgeId, e.Date, e.Fund, e.TaskSlug, e.Sponsor, e.Minutes, e.Status.ToString()];
        }
    }

    private static async IAsyncEnumerable<object?[]> InKindAsync(AppDbContext db, string baseCurrency)
    {
        var deliveries = from delivery in db.InKindDeliveries
                         join pledge in Pledges(db) on delivery.PledgeId equals pledge.Pledge.Id
                         orderby delivery.Id
                         select new
                         {
                             delivery.Id,
                             delivery.PledgeId,
                             delivery.DeliveredOn,
                             pledge.Fund,
                             pledge.TaskSlug,
                             pledge.Sponsor,
                             pledge.Pledge.InfrastructureKind,
                             delivery.ValueMinor,
                             delivery.Currency,
                             delivery.Status,
                         };
        await foreach (var d in deliveries.AsNoTracking().AsAsyncEnumerable())
        {
            yield return [d.Id, d.PledgeId, d.DeliveredOn, d.Fund, d.TaskSlug, d.Sponsor, d.InfrastructureKind?.ToString(),
                new PublicAmount(d.ValueMinor, Currency.Exponent(d.Currency)), d.Currency, d.Status.ToString()];
        }
    }

    private static async IAsyncEnumerable<object?[]> CiUsageAsync(AppDbContext db, string baseCurrency)
    {
        var months = from month in db.CiUsageMonths
                     join provider in db.CiProviders on month.ProviderId equals provider.Id
                     orderby month.Month, provider.Name, month.Project, month.JobName, month.Status, month.IsRetry, month.Currency
                     select new { month, Provider = provider.Name };
        await foreach (var row in months.AsNoTracking().AsAsyncEnumerable())
        {
            var m = row.month;
            yield return [m.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture), row.Provider, m.Project, m.JobName, m.Status.ToString(), m.IsRetry, m.Currency,
                m.Runs, m.DurationSeconds, Math.Round(m.RawMinutes, CiUsageMonth.MinuteDecimals), new PublicAmount(m.ListAmountMicros, 6), new PublicAmount(m.PaidAmountMicros, 6)];
        }
    }

    private sealed class PublicPledge
    {
        public Pledge Pledge { get; init; } = null!;

        public string Fund { get; init; } = "";

        public string? TaskSlug { get; init; }

        public string Sponsor { get; init; } = "";
    }
}
