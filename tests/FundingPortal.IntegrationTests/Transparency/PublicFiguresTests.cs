using System.Net;
using System.Text.Json;

using FundingPortal.Web.Features.Transparency;

namespace FundingPortal.IntegrationTests.Transparency;

/// <summary>Every public endpoint's figures, checked against data worked out by hand in a database of its own.</summary>
public sealed class PublicFiguresTests(TransparencyPortal portal) : IClassFixture<TransparencyPortal>
{
    private static DateTime ThisMonth => new(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    private static string Month(int monthsAgo) => ThisMonth.AddMonths(-monthsAgo).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_summary_adds_up_balance_money_per_month_runway_recurring_hours_and_ci_spend()
    {
        var known = await portal.KnownAsync();
        using var summary = await GetJsonAsync("/api/public/summary");
        var root = summary.RootElement;

        Assert.Equal("USD", root.GetProperty("currency").GetString());
        Assert.Equal(44_000, root.GetProperty("balanceMinor").GetInt64());
        Assert.Equal(40_000, root.GetProperty("monthlySpendMinor").GetInt64());
        // (1,200.00 + 240.00 + 0) / 3 came in a month, more than the 400.00 spent: the balance is not shrinking, so the runway is null.
        Assert.Equal(48_000, root.GetProperty("monthlyIncomeMinor").GetInt64());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("runwayMonths").ValueKind);
        Assert.Equal(30, root.GetProperty("honouredGraceDays").GetInt32());

        var months = root.GetProperty("moneyPerMonth").EnumerateArray().ToDictionary(m => m.GetProperty("month").GetString()!,
            m => (In: m.GetProperty("inMinor").GetInt64(), Out: m.GetProperty("outMinor").GetInt64()));
        Assert.Equal((120_000, 30_000), months[Month(3)]);
        Assert.Equal((24_000, 30_000), months[Month(2)]);
        Assert.Equal((0, 60_000), months[Month(1)]);
        Assert.Equal((20_000, 0), months[Month(0)]);

        var runwayNow = root.GetProperty("runwayLine").EnumerateArray().Last();
        Assert.Equal(Month(0), runwayNow.GetProperty("month").GetString());
        Assert.Equal(JsonValueKind.Null, runwayNow.GetProperty("months").ValueKind);
        var runwayLastMonth = root.GetProperty("runwayLine").EnumerateArray().Single(p => p.GetProperty("month").GetString() == Month(1));
        // At the end of last month: 240.00 left; the three months up to it spent (600 + 300 + 300) / 3 = 400.00 and received
        // (0 + 240 + 1,200) / 3 = 480.00 a month: not shrinking either.
        Assert.Equal(24_000, runwayLastMonth.GetProperty("balanceMinor").GetInt64());
        Assert.Equal((40_000, 48_000), (runwayLastMonth.GetProperty("monthlySpendMinor").GetInt64(), runwayLastMonth.GetProperty("monthlyIncomeMinor").GetInt64()));
        Assert.Equal(JsonValueKind.Null, runwayLastMonth.GetProperty("months").ValueKind);
        // Where spend outruns income the rule is the balance over the net spend: 1,100.00 at 400.00 out and nothing in is 2.8 months.
        Assert.Equal(2.8m, PublicFigures.Runway(110_000, 40_000 - 0));

        var recurring = Assert.Single(root.GetProperty("recurringPerMonth").EnumerateArray());
        Assert.Equal(20_000, recurring.GetProperty("perMonthMinor").GetInt64());
        Assert.Equal(2, recurring.GetProperty("pledges").GetInt32());

        Assert.Equal(30 * 60, root.GetProperty("hoursPledgedMinutes").GetInt64());
        Assert.Equal(0, root.GetProperty("hoursDeliveredMinutes").GetInt64());

        var funds = root.GetProperty("funds").EnumerateArray().ToList();
        Assert.Contains(funds, f => f.GetProperty("taskSlug").GetString() == known.TaskSlug && f.GetProperty("balanceMinor").GetInt64() == 20_000);
        Assert.Contains(funds, f => f.GetProperty("kind").GetString() == "Central" && f.GetProperty("balanceMinor").GetInt64() == 24_000);

        var ci = Assert.Single(root.GetProperty("ciSpend").EnumerateArray());
        Assert.Equal(known.ProviderName, ci.GetProperty("provider").GetString());
        Assert.Equal(Month(0), ci.GetProperty("month").GetString());
        Assert.Equal(500, ci.GetProperty("listMinor").GetInt64());
        Assert.Equal(250, ci.GetProperty("paidMinor").GetInt64());
        Assert.Equal(50, ci.GetProperty("wasteMinor").GetInt64());
        Assert.Equal(25m, ci.GetProperty("minutes").GetDecimal());
        Assert.Equal(5m, ci.GetProperty("wasteMinutes").GetDecimal());
    }

    [Fact]
    public async Task Concentration_gives_the_shares_the_sponsors_for_80_percent_and_the_runway_if_each_left()
    {
        var known = await portal.KnownAsync();
        using var summary = await GetJsonAsync("/api/public/summary");
        var concentration = summary.RootElement.GetProperty("concentration");

        Assert.Equal(164_000, concentration.GetProperty("lastYearMinor").GetInt64());
        Assert.Equal(0.7317m, concentration.GetProperty("topShare").GetDecimal());
        Assert.Equal(1m, concentration.GetProperty("topThreeShare").GetDecimal());
        Assert.Equal(2, concentration.GetProperty("sponsorsFor80Percent").GetInt32());
        // Income in the last three full months (480.00 a month) more than covers the spend (400.00): the runway is not shrinking.
        Assert.Equal(JsonValueKind.Null, concentration.GetProperty("runwayWithEveryoneMonths").ValueKind);

        var left = concentration.GetProperty("ifSponsorLeft").EnumerateArray().ToList();
        Assert.Equal([known.AlphaName, $"Anonymous sponsor {known.SecretId}", known.GammaName], left.Select(s => s.GetProperty("name").GetString()));
        // Without Alpha (1,200.00 a year = 100.00 a month): spend 400.00 − income 380.00 = 20.00 a month; 440.00 lasts 22 months.
        Assert.Equal(120_000, left[0].GetProperty("lastYearMinor").GetInt64());
        Assert.Equal(22.0m, left[0].GetProperty("runwayAfterMonths").GetDecimal());
        Assert.Equal(JsonValueKind.Null, left[1].GetProperty("runwayAfterMonths").ValueKind);
    }

    [Fact]
    public async Task Sponsors_tasks_and_ci_costs_have_the_known_figures()
    {
        var known = await portal.KnownAsync();

        using var sponsors = await GetJsonAsync("/api/public/sponsors");
        var list = sponsors.RootElement.EnumerateArray().ToList();
        Assert.Equal([known.AlphaName, known.GammaName, $"Anonymous sponsor {known.SecretId}"], list.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal([120_000L, 20_000L, 24_000L], list.Select(s => s.GetProperty("givenMinor").GetInt64()));
        Assert.False(list[2].GetProperty("listed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, list[2].GetProperty("website").ValueKind);

        using var tasks = await GetJsonAsync("/api/public/tasks");
        var task = Assert.Single(tasks.RootElement.EnumerateArray());
        Assert.Equal(known.TaskSlug, task.GetProperty("slug").GetString());
        Assert.Equal("Open", task.GetProperty("status").GetString());
        Assert.Equal(20_000, task.GetProperty("funding").GetProperty("received").GetProperty("minorUnits").GetInt64());
        Assert.Equal(500_000, task.GetProperty("funding").GetProperty("goal").GetProperty("minorUnits").GetInt64());
        Assert.Equal(30 * 60, task.GetProperty("funding").GetProperty("hoursPledged").GetProperty("minutes").GetInt64());

        using var byProvider = await GetJsonAsync("/api/public/ci-costs?groupBy=provider");
        var provider = Assert.Single(byProvider.RootElement.EnumerateArray());
        Assert.Equal(known.ProviderName, provider.GetProperty("group").GetString());
        Assert.Equal(3, provider.GetProperty("runs").GetInt64());
        Assert.Equal(250, provider.GetProperty("paidMinor").GetInt64());

        using var byJob = await GetJsonAsync($"/api/public/ci-costs?groupBy=job&from={ThisMonth:yyyy-MM}&to={ThisMonth:yyyy-MM}");
        Assert.Equal("ghc / validate", Assert.Single(byJob.RootElement.EnumerateArray()).GetProperty("group").GetString());
        using var earlier = await GetJsonAsync($"/api/public/ci-costs?to={ThisMonth.AddMonths(-1):yyyy-MM}");
        Assert.Empty(earlier.RootElement.EnumerateArray());

        var csv = await portal.CreateClient().GetStringAsync("/api/public/ci-costs.csv?groupBy=month");
        Assert.Equal(["group,currency,runs,minutes,list_price,paid,waste,waste_minutes", $"{ThisMonth:yyyy-MM},USD,3,25,5.00,2.50,0.50,5"],
            csv.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')));
    }

    [Theory]
    [InlineData("groupBy=week", "groupBy")]
    [InlineData("from=2026-13", "from")]
    [InlineData("from=2026-05&to=2026-01", "from")]
    public async Task Bad_ci_cost_queries_are_answered_with_a_problem_naming_the_field(string query, string field)
    {
        var response = await portal.CreateClient().GetAsync($"/api/public/ci-costs?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task The_ledger_csv_lists_every_line_and_names_only_listed_sponsors()
    {
        var known = await portal.KnownAsync();
        var csv = await portal.CreateClient().GetStringAsync("/api/public/ledger.csv");
        var lines = csv.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        Assert.Equal("id,occurred_at,month,kind,reverses_id,reversed_kind,payment_id,fund,fund_kind,task_slug,counterparty,amount,currency", lines[0]);
        Assert.Equal(7, lines.Count);
        var alpha = ThisMonth.AddMonths(-3).AddDays(9);
        Assert.Contains($"{known.AlphaEntryId},{alpha:yyyy-MM-dd}T00:00:00Z,{alpha:yyyy-MM},Contribution,,Contribution,,Central fund,Central,,{known.AlphaName},1200.00,USD", lines);
        Assert.Contains(lines, l => l.Contains($",Anonymous sponsor {known.SecretId},240.00,USD", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",Expense,", StringComparison.Ordinal) && l.EndsWith(",-600.00,USD", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_public_page_shows_the_known_totals()
    {
        var known = await portal.KnownAsync();
        var html = await portal.CreateClient().GetStringAsync("/");

        Assert.Contains("440.00 USD", html, StringComparison.Ordinal);
        // One runway, explained once: income (480.00 a month) covers spend (400.00), so it is not shrinking.
        Assert.Contains("not shrinking", html, StringComparison.Ordinal);
        Assert.Contains("receiving 480.00 USD a month", html, StringComparison.Ordinal);
        Assert.Contains("is how many months the balance would last at the recent net spend", html, StringComparison.Ordinal);
        Assert.DoesNotContain("no spend yet", html, StringComparison.Ordinal);
        Assert.Contains(known.AlphaName, html, StringComparison.Ordinal);
        Assert.Contains("Anonymous sponsor", html, StringComparison.Ordinal);
        Assert.Contains($"tasks/{known.TaskSlug}", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<!--Blazor:{\"type\":\"server\"", html, StringComparison.Ordinal);

        var taskPage = await portal.CreateClient().GetStringAsync($"/tasks/{known.TaskSlug}");
        Assert.Contains(known.GammaName, taskPage, StringComparison.Ordinal);
        Assert.Contains("<strong>test suite</strong>", taskPage, StringComparison.Ordinal);
        Assert.Contains("200.00 USD", taskPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Badges_are_small_svgs_with_the_funding_and_the_runway()
    {
        var known = await portal.KnownAsync();
        var client = portal.CreateClient();

        var task = await client.GetAsync($"/badges/task/{known.TaskSlug}.svg");
        Assert.Equal("image/svg+xml", task.Content.Headers.ContentType?.MediaType);
        Assert.Contains("4% of 5,000.00 USD", await task.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var runway = await client.GetAsync("/badges/runway.svg");
        Assert.Equal("image/svg+xml", runway.Content.Headers.ContentType?.MediaType);
        // The same runway as the summary's: income covers spend, so it is not shrinking.
        Assert.Contains("not shrinking", await runway.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/badges/task/no-such-task.svg")).StatusCode);
    }

    [Fact]
    public async Task An_anonymous_sponsor_and_any_email_appear_nowhere_public()
    {
        var known = await portal.KnownAsync();
        var client = portal.CreateClient();
        string[] addresses =
        [
            "/", "/transparency", $"/tasks/{known.TaskSlug}", "/api/public/summary", "/api/public/tasks", "/api/public/sponsors", "/api/public/ci-costs",
            "/api/public/ci-costs?groupBy=job", "/api/public/ci-costs?groupBy=provider", "/api/public/ledger.csv", "/api/public/ci-costs.csv",
            $"/badges/task/{known.TaskSlug}.svg", "/badges/runway.svg",
        ];
        foreach (var address in addresses)
        {
            var response = await client.GetAsync(address);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            foreach (var secret in new[] { known.SecretName, "Secretive", known.SecretEmail, known.AlphaEmail, "@example.com", "Known Contribution" })
            {
                Assert.False(body.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{address} shows \"{secret}\".");
            }
        }
    }

    [Fact]
    public async Task Every_public_json_field_is_one_the_public_may_see()
    {
        await portal.KnownAsync();
        var client = portal.CreateClient();
        string[] allowed =
        [
            "currency", "asOf", "balanceMinor", "funds", "name", "kind", "taskSlug", "moneyPerMonth", "month", "inMinor", "outMinor", "monthlySpendMinor",
            "monthlyIncomeMinor", "honouredGraceDays",
            "runwayMonths", "runwayLine", "months", "recurringPerMonth", "perMonthMinor", "pledges", "concentration", "lastYearMinor", "topShare", "topThreeShare",
            "sponsorsFor80Percent", "runwayWithEveryoneMonths", "ifSponsorLeft", "share", "runwayAfterMonths", "hoursPledgedMinutes", "hoursDeliveredMinutes",
            "honouredRate", "ciSpend", "provider", "listMinor", "paidMinor", "wasteMinor", "minutes", "wasteMinutes", "latestLedger", "occurredAt", "fund",
            "counterparty", "amountMinor", "slug", "title", "status", "funding", "goal", "received", "committed", "hoursGoal", "hoursDelivered", "hoursPledged",
            "minorUnits", "totalHours", "receivedPercent", "committedPercent", "hoursDeliveredPercent", "hoursPledgedPercent", "dueDate", "issueUrl", "listed",
            "givenMinor", "website", "group", "runs", "inKind", "pledgedValueMinor", "deliveredValueMinor", "id", "reversesId",
        ];
        foreach (var address in new[] { "/api/public/summary", "/api/public/tasks", "/api/public/sponsors", "/api/public/ci-costs?groupBy=job" })
        {
            using var json = JsonDocument.Parse(await client.GetStringAsync(address));
            foreach (var name in Names(json.RootElement))
            {
                Assert.True(allowed.Contains(name), $"{address} has a field \"{name}\" nobody decided is public.");
            }
        }
    }

    [Fact]
    public async Task A_hidden_counterparty_keeps_its_amount_but_loses_its_name()
    {
        var known = await portal.KnownAsync();
        await using (var db = portal.NewDbContext())
        {
            var entry = await db.LedgerEntries.FindAsync(known.AlphaEntryId);
            entry!.HideCounterparty(true);
            await db.SaveChangesAsync();
        }
        try
        {
            var csv = await portal.CreateClient().GetStringAsync("/api/public/ledger.csv");
            var line = Assert.Single(csv.Split('\n'), l => l.Contains(",1200.00,USD", StringComparison.Ordinal));
            Assert.DoesNotContain(known.AlphaName, line, StringComparison.Ordinal);
            Assert.Contains(",Contribution,,Central fund,Central,,Undisclosed,1200.00,USD", line, StringComparison.Ordinal);
            // Counted under "Undisclosed" in every total, so Alpha's published total cannot give the hidden line away.
            using var sponsors = await GetJsonAsync("/api/public/sponsors");
            var names = sponsors.RootElement.EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("givenMinor").GetInt64());
            Assert.Equal(120_000, names["Undisclosed"]);
            Assert.False(names.ContainsKey(known.AlphaName));
        }
        finally
        {
            await using var db = portal.NewDbContext();
            (await db.LedgerEntries.FindAsync(known.AlphaEntryId))!.HideCounterparty(false);
            await db.SaveChangesAsync();
        }
    }

    private static IEnumerable<string> Names(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Names(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Names),
        _ => [],
    };

    private async Task<JsonDocument> GetJsonAsync(string address)
    {
        var response = await portal.CreateClient().GetAsync(address);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
