using System.Globalization;
using System.Text.RegularExpressions;

using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>
/// Every working list an admin reads in a day, with lists long enough to page and text long enough to overflow, at 1280 and 390 px: the
/// page never scrolls sideways and no cell cuts its figure; the long lists page on the server and say how many there are; every link on
/// those pages leads somewhere.
/// </summary>
[Collection(SharedPortal.Name)]
public sealed partial class ScreensFitTests(PortalApp app)
{
    private const string LongText = "Quarterly renewal of the self-hosted Windows and macOS runners, including the spare disks and the extended warranty " +
        "that the infrastructure working group agreed on after the outage in the spring";

    [Fact]
    public async Task Every_list_fits_at_1280_and_390_px_pages_on_the_server_and_links_only_to_pages_that_exist()
    {
        var admin = Person.New("Adele");
        var page = await app.NewPageAsync(ScreenChecks.Desktop);
        await page.SignUpAsync(app, admin);
        await app.GrantRoleAsync(admin.Email, Roles.Admin);
        var organisationId = await page.CreateOrganisationAsync("The Extremely Long-Named Functional Programming Consortium of Northern Europe",
            $"consortium-{Person.Unique()}", $"billing-{Person.Unique()}@example.com");
        await page.SignOutAsync();
        await page.SignInWithTwoFactorAsync(admin);
        // Another reviewer's expenses, so the admin sees the approve and reject buttons.
        var submitter = Person.New("Sami");
        var other = await app.NewPageAsync();
        await other.RegisterAsync(submitter);
        await Expect(other.Locator("#register-confirmation")).ToContainTextAsync(submitter.Email);
        await other.Context.CloseAsync();
        var arranged = await ArrangeAsync(admin, submitter, organisationId);

        var pages = new[]
        {
            ("devops", "#queue-expenses"),
            ("devops/tasks", "h4"),
            ("devops/pledges", "h4"),
            ("devops/follow-up", "#overdue"),
            ("devops/funds", "#ledger tbody tr"),
            ("devops/expenses", "#expenses tbody tr"),
            ($"devops/expenses/{arranged.ExpenseId}", "#expense-details"),
            ("devops/ci-usage/import", "#import-batches .import-batch"),
            ("devops/ci", "h4"),
            ("devops/ci/prices", "h4"),
            ($"organisations/{organisationId}/dashboard", "#pledges"),
        };
        var links = new HashSet<string>(StringComparer.Ordinal);
        foreach (var viewport in new[] { ScreenChecks.Desktop, ScreenChecks.Phone })
        {
            await page.SetViewportSizeAsync(viewport.Width, viewport.Height);
            foreach (var (address, ready) in pages)
            {
                await page.GotoAsync(address);
                await Expect(page.Locator(ready).First).ToBeVisibleAsync();
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await page.AssertFitsAsync();
                links.UnionWith(await page.EvaluateAsync<string[]>(
                    "() => [...document.querySelectorAll('a[href]')].filter(a => a.origin === location.origin).map(a => a.href)"));
                await ScreenshotAsync(page, address, viewport, organisationId);
            }
        }

        await ExpectLedgerPagesAsync(page);
        await ExpectExpensePagesAsync(page);
        await ExpectImportPagesAsync(page);
        await ExpectLinksLeadToPagesAsync(page, links);
    }

    /// <summary>Every link written in a page's markup names a route some page or endpoint answers: found from the source, without a browser.</summary>
    [Fact]
    public void Every_link_in_the_pages_source_names_a_route_that_exists()
    {
        var web = Path.Combine(RepositoryRoot(), "src", "FundingPortal.Web");
        var razor = Directory.GetFiles(web, "*.razor", SearchOption.AllDirectories);
        var code = Directory.GetFiles(web, "*.cs", SearchOption.AllDirectories);
        var routes = razor.SelectMany(f => PageRoute().Matches(File.ReadAllText(f)).Select(m => m.Groups["route"].Value))
            .Concat(code.SelectMany(f => EndpointRoutes(File.ReadAllText(f))))
            .Select(RouteRegex)
            .ToList();
        var wwwroot = Path.Combine(web, "wwwroot");

        var broken = new List<string>();
        foreach (var file in razor.Concat(code))
        {
            foreach (var link in Links(File.ReadAllText(file)))
            {
                if (File.Exists(Path.Combine(wwwroot, link)) || routes.Any(r => r.IsMatch(link)))
                {
                    continue;
                }
                broken.Add($"{Path.GetRelativePath(web, file)}: {link}");
            }
        }

        Assert.True(routes.Count > 40, $"Only {routes.Count} routes were found; the scan no longer reads the pages.");
        Assert.True(routes.Any(r => r.IsMatch("devops/expenses/12")), "The expense detail page's route was not found.");
        Assert.False(routes.Any(r => r.IsMatch("devops/no-such-page")), "The route check matches anything.");
        Assert.True(broken.Count == 0, "These links lead to no page: " + string.Join("; ", broken));
    }

    private async Task ExpectLedgerPagesAsync(IPage page)
    {
        await page.SetViewportSizeAsync(ScreenChecks.Desktop.Width, ScreenChecks.Desktop.Height);
        int total;
        await using (var db = app.NewDbContext())
        {
            total = await db.LedgerEntries.CountAsync();
        }
        await page.GotoAsync("devops/funds");
        await page.WaitForInteractiveAsync("#ledger-fund");
        await Expect(page.Locator("#ledger-count")).ToHaveTextAsync($"Entries 1–50 of {total}");
        await Expect(page.Locator("#ledger tbody tr")).ToHaveCountAsync(50);
        var firstPage = await EntryIdsAsync(page, "#ledger tbody tr", "data-entry-id");

        await PagerButton(page, "#ledger-pager", "2").ClickAsync();

        await Expect(page.Locator("#ledger-count")).ToHaveTextAsync($"Entries 51–{Math.Min(100, total)} of {total}");
        var secondPage = await EntryIdsAsync(page, "#ledger tbody tr", "data-entry-id");
        // Newest first, ties by id, the same order from page to page: the two pages are the first hundred of that order, none twice.
        await using (var db = app.NewDbContext())
        {
            var newest = await db.LedgerEntries.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Select(e => e.Id).Take(100).ToListAsync();
            Assert.Equal(newest, firstPage.Concat(secondPage));
        }
        // (Other tests share this portal and may book entries newer than the arranged ones, so which rows page 1 holds is read from the
        // database above, not assumed.)
        await page.AssertFitsAsync();
    }

    private async Task ExpectExpensePagesAsync(IPage page)
    {
        Dictionary<ExpenseStatus, int> counts;
        await using (var db = app.NewDbContext())
        {
            counts = await db.Expenses.GroupBy(e => e.Status).ToDictionaryAsync(g => g.Key, g => g.Count());
        }
        await page.GotoAsync("devops/expenses");
        await page.WaitForInteractiveAsync("#expense-vendor");
        await Expect(page.Locator("#filter-all")).ToHaveTextAsync($"All ({counts.Values.Sum()})");
        await Expect(page.Locator("#filter-paid")).ToHaveTextAsync($"Paid ({counts.GetValueOrDefault(ExpenseStatus.Paid)})");
        await Expect(page.Locator("#expenses tbody tr").First.Locator(".expense-status")).ToContainTextAsync("Submitted");
        await Expect(page.Locator("#expenses tbody tr .approve-expense").First).ToBeInViewportAsync();

        var submitted = counts[ExpenseStatus.Submitted];
        await page.Locator("#filter-submitted").ClickAsync();
        await Expect(page.Locator("#expenses-count")).ToHaveTextAsync($"Expenses 1–25 of {submitted}");
        var firstPage = await EntryIdsAsync(page, "#expenses tbody tr", "data-expense-id");
        await PagerButton(page, "#expenses-pager", "2").ClickAsync();
        await Expect(page.Locator("#expenses-count")).ToHaveTextAsync($"Expenses 26–{Math.Min(50, submitted)} of {submitted}");
        var secondPage = await EntryIdsAsync(page, "#expenses tbody tr", "data-expense-id");
        Assert.Empty(firstPage.Intersect(secondPage));
        await Expect(page.Locator("#expenses tbody tr .expense-status").Filter(new() { HasNotText = "Submitted" })).ToHaveCountAsync(0);

        await page.Locator("#filter-rejected").ClickAsync();
        await Expect(page.Locator("#expenses-count")).ToHaveTextAsync($"Expenses 1–{counts[ExpenseStatus.Rejected]} of {counts[ExpenseStatus.Rejected]}");
        await Expect(page.Locator("#expenses tbody tr")).ToHaveCountAsync(counts[ExpenseStatus.Rejected]);
    }

    private async Task ExpectImportPagesAsync(IPage page)
    {
        int total;
        await using (var db = app.NewDbContext())
        {
            total = await db.ImportBatches.CountAsync();
        }
        await page.GotoAsync("devops/ci-usage/import");
        await page.WaitForInteractiveAsync("#import-format");
        await Expect(page.Locator("#import-batches-count")).ToHaveTextAsync($"Imports 1–20 of {total}");
        var first = page.Locator("#import-batches .import-batch").First;
        await Expect(first.Locator(".batch-stored")).ToBeInViewportAsync();
        await Expect(first.Locator(".batch-rejected")).ToBeVisibleAsync();
        await Expect(first.Locator(".rollback")).ToBeVisibleAsync();
        var firstPage = await EntryIdsAsync(page, "#import-batches .import-batch", "data-batch");

        await PagerButton(page, "#import-batches-pager", "2").ClickAsync();

        await Expect(page.Locator("#import-batches-count")).ToHaveTextAsync($"Imports 21–{Math.Min(40, total)} of {total}");
        Assert.Empty(firstPage.Intersect(await EntryIdsAsync(page, "#import-batches .import-batch", "data-batch")));
    }

    /// <summary>Every address the pages link to answers, signed in as the admin, with something other than "not found".</summary>
    private static async Task ExpectLinksLeadToPagesAsync(IPage page, IReadOnlyCollection<string> links)
    {
        var missing = await page.APIRequest.GetAsync("devops/no-such-page");
        Assert.Equal(404, missing.Status);
        Assert.Contains(links, l => ExpenseLink().IsMatch(l));

        var broken = new List<string>();
        foreach (var link in links.Where(l => !l.Contains("/Account/Logout", StringComparison.OrdinalIgnoreCase)))
        {
            var response = await page.APIRequest.GetAsync(link, new() { MaxRedirects = 0 });
            if (response.Status == 404)
            {
                broken.Add(link);
            }
        }
        Assert.True(broken.Count == 0, "These links lead to no page: " + string.Join(", ", broken));
    }

    private static ILocator PagerButton(IPage page, string pager, string number) =>
        page.Locator($"{pager} button").Filter(new() { HasTextRegex = new Regex($"^\\s*{number}\\s*$") });

    private static async Task<List<long>> EntryIdsAsync(IPage page, string rows, string attribute) =>
        [.. (await page.Locator(rows).EvaluateAllAsync<string[]>($"rows => rows.map(r => r.getAttribute('{attribute}'))"))
            .Select(id => long.Parse(id, CultureInfo.InvariantCulture))];

    private static async Task ScreenshotAsync(IPage page, string address, ViewportSize viewport, int organisationId)
    {
        var phone = viewport.Width == ScreenChecks.Phone.Width;
        var name = address switch
        {
            "devops/funds" => "devops-funds",
            "devops/expenses" => "devops-expenses",
            "devops/ci-usage/import" => "ci-import",
            "devops/follow-up" => "follow-up",
            _ when address == $"organisations/{organisationId}/dashboard" => "sponsor-dashboard",
            _ => null,
        };
        if (name is null || (phone && name is not ("devops-funds" or "sponsor-dashboard")))
        {
            return;
        }
        await PortalApp.ScreenshotAsync(page, phone ? $"{name}-phone" : name);
    }

    private sealed record Arranged(int ExpenseId);

    /// <summary>
    /// A day's worth of long lists, straight in the portal's database: a task fund with 120 ledger entries with long descriptions and a
    /// long-named counterparty, 80 expenses in every status, 30 past imports, and pledges from the admin's organisation, some overdue.
    /// </summary>
    private async Task<Arranged> ArrangeAsync(Person admin, Person submitter, int organisationId)
    {
        await using var db = app.NewDbContext();
        var adminId = await db.Users.Where(u => u.Email == admin.Email).Select(u => u.Id).SingleAsync();
        var otherId = await db.Users.Where(u => u.Email == submitter.Email).Select(u => u.Id).SingleAsync();
        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(now);
        var task = DevopsTask.Propose("Keep the Windows, macOS and Linux builds of the compiler under ninety minutes on every pull request",
            $"screens-{Person.Unique()}", "Long lists for the screen checks.", new Money(50_000_000, "USD"), Hours.FromHours(400), null, now);
        task.MoveTo(DevopsTaskStatus.Open, null, now);
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        var fundId = await db.Funds.Where(f => f.TaskId == task.Id).Select(f => f.Id).SingleAsync();

        var entries = Enumerable.Range(0, 120).Select(i => LedgerEntry.Book(new LedgerPosting(fundId, LedgerEntryKind.Contribution,
            new Money(32_324_800 + i, "USD"), new Money(29_900_000 + i, "EUR"), 1.0811m, $"#{i} {LongText}", now.AddMinutes(-i), now, adminId, organisationId))).ToList();
        db.LedgerEntries.AddRange(entries);

        var expenses = new List<Expense>();
        for (var i = 0; i < 80; i++)
        {
            var expense = Expense.Submit(fundId, $"Hetzner Online GmbH, data centre park Falkenstein {i}", LongText, (ExpenseCategory)(i % 5),
                new Money(123_456 + i, "USD"), today.AddDays(-i), otherId, now.AddMinutes(-i));
            // Half wait for approval (two pages of them), a quarter for payment, the rest rejected or paid.
            var reviewed = (i % 8) switch
            {
                4 or 5 => expense.Approve(adminId, now),
                6 => expense.Reject(adminId, "The invoice names another project; ask the vendor for a corrected one before resubmitting it.", now),
                7 => expense.Approve(adminId, now).Bind(e => e.MarkPaid(adminId, now)),
                _ => Result<Expense>.Ok(expense),
            };
            Assert.True(reviewed.Succeeded, reviewed.Problem?.Message);
            expenses.Add(expense);
        }
        db.Expenses.AddRange(expenses);

        for (var i = 0; i < 30; i++)
        {
            var batch = ImportBatch.Start(null, "GitHubUsageCsv", $"github-actions-usage-report-for-the-whole-organisation-{i:00}-{Person.Unique()}.csv",
                Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), adminId, now.AddHours(-i));
            batch.Complete(1_234_567, 1_230_000, 4_567, 0, 0, now.AddHours(-i));
            db.ImportBatches.Add(batch);
        }

        for (var i = 0; i < 6; i++)
        {
            var pledge = Pledge.SubmitMoney(organisationId, fundId, new Money(1_250_000 + i * 100, "USD"),
                new PledgeSchedule(PledgeFrequency.Monthly, today.AddMonths(-3 + i % 2), null, 24), PaymentMethod.BankTransfer, PaymentTiming.Now, adminId, now);
            if (i < 4)
            {
                Assert.True(pledge.Accept(adminId, "Arranged for the screen checks", now).Succeeded);
            }
            db.Pledges.Add(pledge);
        }
        await db.SaveChangesAsync();
        return new Arranged(expenses[0].Id);
    }

    /// <summary>The hrefs written in a page's markup or in C# as <c>Href = "…"</c>, as paths without the query; interpolated parts become "X".</summary>
    private static IEnumerable<string> Links(string source)
    {
        foreach (Match match in Href().Matches(source))
        {
            var value = match.Groups["interpolated"].Success ? Interpolation().Replace(match.Groups["interpolated"].Value, "X") : match.Groups["plain"].Value;
            if (value.StartsWith('@') || value.Contains("://", StringComparison.Ordinal) || value.StartsWith('#') || value.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }
            value = RazorExpression().Replace(value, "X");
            value = value.Split('?', '#')[0].TrimStart('/');
            if (value is "" or ".")
            {
                continue;
            }
            yield return value;
        }
    }

    /// <summary>Routes of minimal-API endpoints, with the prefixes of the groups they are mapped on (when a group is a local variable).</summary>
    private static IEnumerable<string> EndpointRoutes(string source)
    {
        var groups = GroupVariable().Matches(source).ToDictionary(m => m.Groups["name"].Value, m => (Parent: m.Groups["parent"].Value, Route: m.Groups["route"].Value));
        string Prefix(string target, int depth) =>
            depth < 5 && groups.TryGetValue(target, out var group) ? Prefix(group.Parent, depth + 1).TrimEnd('/') + "/" + group.Route.Trim('/') : "";
        foreach (Match match in MapCall().Matches(source))
        {
            yield return Prefix(match.Groups["target"].Value, 0).TrimEnd('/') + "/" + match.Groups["route"].Value.TrimStart('/');
        }
    }

    private static Regex RouteRegex(string template)
    {
        var pattern = string.Join("/", template.Trim('/').Split('/').Select(segment =>
            segment.StartsWith("{*", StringComparison.Ordinal) ? ".*" : RouteParameter().Replace(Regex.Escape(segment).Replace(@"\{", "{", StringComparison.Ordinal), "[^/]+")));
        return new Regex($"^{pattern}/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "FundingPortal.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"FundingPortal.sln was not found above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("""@page\s+"(?<route>[^"]+)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex PageRoute();

    [GeneratedRegex("""(?<target>\w+)\s*\.\s*Map(?:Get|Post|Put|Delete|Patch|Methods)\(\s*\$?"(?<route>[^"]+)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex MapCall();

    [GeneratedRegex("""var\s+(?<name>\w+)\s*=\s*(?<parent>\w+)\s*\.\s*MapGroup\(\s*"(?<route>[^"]+)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex GroupVariable();

    [GeneratedRegex("""\b(?:href|Href)\s*=\s*"(?:@\(\$"(?<interpolated>[^"]*)"\)|(?<plain>[^"]*))" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Href();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"@\(?[\w.]+\)?")]
    private static partial Regex RazorExpression();

    [GeneratedRegex(@"\{[^}/]+\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"/devops/expenses/\d+$")]
    private static partial Regex ExpenseLink();
}
