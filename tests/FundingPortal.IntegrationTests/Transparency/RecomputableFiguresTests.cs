using System.Diagnostics;

using FsCheck;
using FsCheck.Fluent;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.CiUsage;
using FundingPortal.Web.Features.Fulfilment;
using FundingPortal.Web.Features.Ledger;
using FundingPortal.Web.Features.Payments;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using Xunit.Abstractions;

using static FundingPortal.IntegrationTests.Infrastructure.Devops;

namespace FundingPortal.IntegrationTests.Transparency;

/// <summary>The portal with the demo data on a loopback port, for the shipped Python verifier.</summary>
public sealed class LoopbackPortal : KestrelPortal
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Assert.NotNull(await Services.GetRequiredService<DemoData>().SeedIfEmptyAsync(DemoScale.Small));
    }
}

/// <summary>
/// Random sequences of what happens to the books — pledges, payments, overpayments, voids, transfers and their reversals, hidden
/// counterparties, pauses, cancellations, engineer time, in-kind deliveries, CI imports and rollbacks — and after every step the shipped
/// verifier (scripts/verify-public-figures.py, which shares no code with the portal) recomputes every public figure from the public
/// exports and finds them all equal, and the roll-ups equal a recomputation from the rows.
/// </summary>
public sealed class RecomputableFiguresTests(LoopbackPortal portal, ITestOutputHelper output) : IClassFixture<LoopbackPortal>
{
    private enum Step
    {
        MoneyPledge,
        Payment,
        Overpayment,
        CardPayment,
        Refund,
        Void,
        Transfer,
        ReverseTransfer,
        Hide,
        Pause,
        Cancel,
        EngineerTime,
        InKind,
        CiImport,
        CiRollback,
    }

    private sealed record Books(TestUser Sponsor, TestUser ReviewerA, TestUser ReviewerB, TestUser Admin, int[] Organisations, int CentralFund, int TaskFund);

    [Fact]
    public async Task The_shipped_verifier_recomputes_every_figure_of_the_demo_data()
    {
        var verdict = await VerifyAsync();

        Assert.True(verdict.ExitCode == 0, verdict.Output + verdict.Error);
        await AssertRollupsMatchRowsAsync();
    }

    [Fact]
    public async Task After_every_step_of_random_sequences_every_public_figure_is_recomputed_from_the_exports()
    {
        var books = await ArrangeAsync();
        var steps = Gen.Elements(Enum.GetValues<Step>()).Zip(Gen.Choose(0, 1000)).ListOf();
        foreach (var sequence in Gen.Sample(steps, 15, 4))
        {
            var done = new List<string>();
            foreach (var (step, pick) in sequence)
            {
                done.Add($"{step}({pick})");
                await ApplyAsync(books, step, pick);
                var verdict = await VerifyAsync();
                Assert.True(verdict.ExitCode == 0, $"After {string.Join(", ", done)}:\n{verdict.Output}\n{verdict.Error}");
                await AssertRollupsMatchRowsAsync();
                output.WriteLine($"{step}({pick}): {verdict.Output.TrimEnd().Split('\n').Last()}");
            }
        }
    }

    private async Task<Books> ArrangeAsync()
    {
        var sponsor = await portal.CreateUserAsync(name: "Sam Sponsor");
        var a = await portal.CreateUserAsync(Roles.Reviewer, "Ann Reviewer");
        var b = await portal.CreateUserAsync(Roles.Reviewer, "Ben Reviewer");
        var admin = await portal.CreateAdminAsync();
        var (taskId, taskFund) = await portal.ProposeTaskAsync(a, "Windows build under 90 minutes");
        await using var db = portal.NewDbContext();
        var task = await db.Tasks.SingleAsync(t => t.Id == taskId);
        task.MoveTo(DevopsTaskStatus.Open, a.Id, DateTime.UtcNow);
        var organisations = new[] { PublicListing.ByName, PublicListing.Anonymous, PublicListing.ByName }.Select((listing, i) =>
            Organisation.Create(new OrganisationProfile($"Sponsor {i} {Guid.NewGuid():N}"[..20], $"sponsor-{Guid.NewGuid():N}"[..24], null, null,
                $"billing-{Guid.NewGuid():N}@example.com", listing), sponsor.Id, DateTime.UtcNow)).ToList();
        db.Organisations.AddRange(organisations);
        await db.SaveChangesAsync();
        var central = await db.Funds.Where(f => f.Kind == FundKind.Central).Select(f => f.Id).SingleAsync();
        return new Books(sponsor, a, b, admin, organisations.Select(o => o.Id).ToArray(), central, taskFund);
    }

    private async Task ApplyAsync(Books books, Step step, int pick)
    {
        await using var db = portal.NewDbContext();
        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(now);
        var organisation = books.Organisations[pick % books.Organisations.Length];
        var fund = pick % 2 == 0 ? books.CentralFund : books.TaskFund;
        T? Pick<T>(IReadOnlyList<T> items) => items.Count == 0 ? default : items[pick % items.Count];
        switch (step)
        {
            case Step.MoneyPledge:
                {
                    var schedule = pick % 3 == 0 ? PledgeSchedule.OneOff(today.AddDays(-(pick % 40))) : new PledgeSchedule(PledgeFrequency.Monthly, today.AddMonths(-(pick % 4)), null, 4);
                    await AcceptAsync(db, Pledge.SubmitMoney(organisation, fund, new Money(1_000 + pick * 37, "USD"), schedule, PaymentMethod.Invoice, PaymentTiming.Now,
                        books.Sponsor.Id, now), books);
                    break;
                }
            case Step.Payment or Step.Overpayment:
                {
                    var open = await db.Installments.Where(i => i.Pledge!.Kind == PledgeKind.Money && i.Pledge.Status == PledgeStatus.Active && i.Currency == "USD"
                            && (i.Status == InstallmentStatus.Scheduled || i.Status == InstallmentStatus.PartiallyFulfilled))
                        .Select(i => new { i.Id, i.PledgeId, Open = i.AmountDueMinor - i.AmountReceivedMinor }).ToListAsync();
                    if (Pick(open) is { } installment)
                    {
                        var amount = step == Step.Overpayment ? installment.Open + 1 + pick : Math.Max(1, installment.Open * (1 + pick % 2) / 2);
                        var reviewer = pick % 2 == 0 ? books.ReviewerA : books.ReviewerB;
                        var result = await portal.WithScopeAsync<RecordPayment, Result<int>>(h => h.RecordAsync(installment.PledgeId, new PaymentInput
                        {
                            InstallmentId = installment.Id,
                            ReceivedOn = now.Date,
                            Amount = (amount / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                            Currency = "USD",
                            Reference = $"BANK-{Guid.NewGuid():N}",
                            Overpayment = step == Step.Overpayment,
                            OverpaymentReason = "Paid ahead",
                        }, reviewer.Id));
                        Assert.True(result.Succeeded, result.Problem?.Message);
                    }
                    break;
                }
            case Step.CardPayment:
                {
                    var pledges = await db.Pledges.Include(p => p.Installments)
                        .Where(p => p.Kind == PledgeKind.Money && p.Status == PledgeStatus.Active && p.Currency == "USD").OrderBy(p => p.Id).ToListAsync();
                    if (Pick(pledges) is { } pledge && pledge.Installments.FirstOrDefault(i => i.IsOpen) is { } installment)
                    {
                        var amount = new Money(Math.Max(100, installment.AmountDueMinor - installment.AmountReceivedMinor), "USD");
                        var receipt = new PaymentReceipt(pledge.OrganisationId, pledge.Id, installment.Id, pledge.FundId, PaymentChannel.Stripe, amount, amount, 1m, now,
                            null, $"pi_{Guid.NewGuid():N}", null, FeeBaseMinor: 30 + amount.MinorUnits * 29 / 1000);
                        await using var transaction = await db.Database.BeginTransactionAsync();
                        await BookPayment.BookAsync(db, pledge, installment, receipt, "Card payment", now, CancellationToken.None);
                        await db.SaveChangesAsync();
                        await transaction.CommitAsync();
                    }
                    break;
                }
            case Step.Refund:
                {
                    var payments = await db.Payments.Where(p => p.Channel == PaymentChannel.Stripe && p.Status == PaymentStatus.Received).OrderBy(p => p.Id).ToListAsync();
                    if (Pick(payments) is { } payment)
                    {
                        await using var transaction = await db.Database.BeginTransactionAsync();
                        await RefundPayment.BookAsync(db, payment, $"re_{Guid.NewGuid():N}", new Money(Math.Max(1, payment.AmountMinor / (1 + pick % 3)), payment.Currency),
                            "requested_by_customer", now, "USD", "stripe", CancellationToken.None);
                        await db.SaveChangesAsync();
                        await transaction.CommitAsync();
                    }
                    break;
                }
            case Step.Void:
                {
                    var payments = await db.Payments.Where(p => p.Status == PaymentStatus.Received && p.Channel != PaymentChannel.Stripe)
                        .Select(p => new { p.Id, p.RecordedByUserId }).OrderBy(p => p.Id).ToListAsync();
                    if (Pick(payments) is { } payment)
                    {
                        var other = payment.RecordedByUserId == books.ReviewerA.Id ? books.ReviewerB : books.ReviewerA;
                        var result = await portal.WithScopeAsync<VoidPayment, Result<int>>(h => h.VoidAsync(payment.Id, "Recorded by mistake", other.Id));
                        Assert.True(result.Succeeded, result.Problem?.Message);
                    }
                    break;
                }
            case Step.Transfer:
                {
                    var (from, to) = pick % 2 == 0 ? (books.CentralFund, books.TaskFund) : (books.TaskFund, books.CentralFund);
                    // Refused when the fund holds too little; either way the figures must still add up.
                    await portal.WithScopeAsync<TransferBetweenFunds, Result<Guid>>(t => t.TransferAsync(new TransferInput
                    {
                        FromFundId = from,
                        ToFundId = to,
                        Amount = ((1 + pick) / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                        Reason = "Rebalance",
                    }, books.Admin.Id));
                    break;
                }
            case Step.ReverseTransfer:
                {
                    var legs = await db.LedgerEntries.Where(e => e.Kind == LedgerEntryKind.Transfer && !db.LedgerEntries.Any(r => r.ReversesEntryId == e.Id))
                        .Select(e => e.Id).OrderBy(id => id).ToListAsync();
                    if (legs.Count > 0)
                    {
                        var result = await portal.WithScopeAsync<ReverseEntry, Result<IReadOnlyList<long>>>(r => r.ReverseAsync(legs[pick % legs.Count], "Wrong fund", books.Admin.Id));
                        Assert.True(result.Succeeded, result.Problem?.Message);
                    }
                    break;
                }
            case Step.Hide:
                {
                    var lines = await db.LedgerEntries.Where(e => e.PaymentId != null && e.Kind == LedgerEntryKind.Contribution).Select(e => e.Id).OrderBy(id => id).ToListAsync();
                    if (lines.Count > 0)
                    {
                        var result = await portal.WithScopeAsync<HideCounterparty, Result<bool>>(h => h.SetAsync(lines[pick % lines.Count], pick % 3 != 0, books.Admin.Id));
                        Assert.True(result.Succeeded, result.Problem?.Message);
                    }
                    break;
                }
            case Step.Pause or Step.Cancel:
                {
                    var pledges = await db.Pledges.Include(p => p.Installments).Where(p => p.Status == PledgeStatus.Active).OrderBy(p => p.Id).ToListAsync();
                    if (Pick(pledges) is { } pledge)
                    {
                        _ = step == Step.Pause ? pledge.Pause(today, now) : pledge.Cancel(books.Sponsor.Id, "Budget cut", today, now);
                        await db.SaveChangesAsync();
                    }
                    break;
                }
            case Step.EngineerTime:
                {
                    var pledge = Pledge.SubmitEngineerTime(organisation, fund, Hours.FromHours(5 + pick % 7), new PledgeSchedule(PledgeFrequency.Monthly, today.AddMonths(-2), null, 4),
                        null, new Money(10_000, "USD"), books.Sponsor.Id, now);
                    await AcceptAsync(db, pledge, books);
                    var entry = TimeEntry.Log(pledge, today.AddDays(-1), "Eve", new Hours(30 + pick % 400), "CI work", books.Sponsor.Id, today, now);
                    Assert.True(entry.Succeeded, entry.Problem?.Message);
                    db.TimeEntries.Add(entry.Value!);
                    await db.SaveChangesAsync();
                    if (pick % 4 != 0)
                    {
                        var installment = pledge.Installments.Single(i => i.Id == entry.Value!.InstallmentId);
                        Assert.True(entry.Value!.Confirm(installment, books.ReviewerA.Id, now).Succeeded);
                        await db.SaveChangesAsync();
                    }
                    break;
                }
            case Step.InKind:
                {
                    var pledge = Pledge.SubmitInfrastructure(organisation, fund, InfrastructureKind.RunnerCapacity, "Runners", new Money(5_000 + pick, pick % 5 == 0 ? "EUR" : "USD"),
                        new PledgeSchedule(PledgeFrequency.Monthly, today.AddMonths(-1), null, 3), books.Sponsor.Id, now);
                    await AcceptAsync(db, pledge, books);
                    var delivery = InKindDelivery.Record(pledge, today, "Five runners", new Money(2_000 + pick, pledge.Currency), books.Sponsor.Id, today);
                    Assert.True(delivery.Succeeded, delivery.Problem?.Message);
                    db.InKindDeliveries.Add(delivery.Value!);
                    await db.SaveChangesAsync();
                    if (pick % 3 != 0)
                    {
                        Assert.True(delivery.Value!.Confirm(pledge.Installments.Single(i => i.Id == delivery.Value.InstallmentId), books.ReviewerA.Id, now).Succeeded);
                        await db.SaveChangesAsync();
                    }
                    break;
                }
            case Step.CiImport:
                await ImportCiAsync(db, pick, now);
                break;
            case Step.CiRollback:
                {
                    var batches = await db.ImportBatches.Where(b => b.Status == ImportBatchStatus.Completed).Select(b => b.Id).OrderBy(id => id).ToListAsync();
                    if (batches.Count > 0)
                    {
                        var result = await portal.WithScopeAsync<RollBackImport, Result<int>>(r => r.RollBackAsync(batches[pick % batches.Count], books.Admin.Id));
                        Assert.True(result.Succeeded, result.Problem?.Message);
                    }
                    break;
                }
        }
    }

    private static async Task AcceptAsync(Core.Data.AppDbContext db, Pledge pledge, Books books)
    {
        Assert.True(pledge.Accept(books.ReviewerA.Id, "Thank you", DateTime.UtcNow).Succeeded);
        db.Pledges.Add(pledge);
        await db.SaveChangesAsync();
    }

    /// <summary>A small import of odd-second runs (so minutes and money carry fractions), in a month of the last year.</summary>
    private static async Task ImportCiAsync(Core.Data.AppDbContext db, int pick, DateTime now)
    {
        var provider = await db.CiProviders.FirstOrDefaultAsync(p => p.Name == "Verifier CI");
        if (provider is null)
        {
            provider = CiProvider.New("Verifier CI", CiProviderKind.GitHubActions, CiRounding.PerJobUpToMinute, 0, "USD").Value!;
            db.CiProviders.Add(provider);
            await db.SaveChangesAsync();
        }
        var batch = ImportBatch.Start(provider.Id, GenericCsv.Instance.Id, "usage.csv", Guid.NewGuid().ToString("N"), null, now);
        db.ImportBatches.Add(batch);
        await db.SaveChangesAsync();
        var started = new DateTime(now.Year, now.Month, 1, 3, 0, 0, DateTimeKind.Utc).AddMonths(-(pick % 6));
        var statuses = new[] { CiJobStatus.Success, CiJobStatus.Failed, CiJobStatus.Cancelled, CiJobStatus.TimedOut };
        db.CiUsageRecords.AddRange(Enumerable.Range(0, 3 + pick % 4).Select(i =>
        {
            var seconds = 61 + (pick * 7 + i * 13) % 900;
            return CiUsageRecord.Create(new CiJobRun(provider.Id, batch.Id, $"run-{batch.Id}-{i}", "project/compiler", "ci", $"job-{i % 2}", "ubuntu", RunnerOs.Linux,
                started.AddMinutes(i), started.AddMinutes(i).AddSeconds(seconds), seconds, seconds / 60m, Math.Ceiling(seconds / 60m), seconds * 133L, seconds * 111L,
                "USD", statuses[(pick + i) % statuses.Length], null, i % 3 == 2));
        }));
        await db.SaveChangesAsync();
        await CiUsageRollup.AddBatchAsync(db, batch.Id);
        batch.Complete(3 + pick % 4, 3 + pick % 4, rowsRejected: 0, rowsAlreadyStored: 0, rowsNotMinutes: 0, now);
        await db.SaveChangesAsync();
    }

    private async Task<PortalProcess.Outcome> VerifyAsync()
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "verify-public-figures.py"));
        start.ArgumentList.Add(portal.BaseUrl.GetLeftPart(UriPartial.Authority));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output;
        var exitCode = process.ExitCode == 0 && !System.Text.RegularExpressions.Regex.IsMatch(text.TrimEnd().Split('\n').Last(), @"^(\d+) of \1 figures match$")
            ? -1
            : process.ExitCode;
        return new PortalProcess.Outcome(exitCode, string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("ok", StringComparison.Ordinal))), await error);
    }

    /// <summary>The ledger, sponsor and installment roll-ups against the same sums over the rows (ADR 0009, 0010).</summary>
    private async Task AssertRollupsMatchRowsAsync()
    {
        await using var db = portal.NewDbContext();
        var entries = await db.LedgerEntries.AsNoTracking().ToListAsync();
        var byId = entries.ToDictionary(e => e.Id);
        static DateOnly MonthOf(DateTime at) => new(at.Year, at.Month, 1);
        var expectedMonths = entries.GroupBy(e =>
            {
                var counted = e.ReversesEntryId is { } reversed ? byId[reversed] : e;
                return (e.FundId, Month: MonthOf(counted.OccurredAt), e.Kind, OfKind: counted.Kind, In: counted.AmountMinor > 0);
            })
            .GroupBy(g => (g.Key.FundId, g.Key.Month, g.Key.Kind, g.Key.OfKind))
            .Select(g => (g.Key.FundId, g.Key.Month, g.Key.Kind, g.Key.OfKind,
                In: g.Where(s => s.Key.In).SelectMany(s => s).Sum(e => e.AmountMinor), Out: -g.Where(s => !s.Key.In).SelectMany(s => s).Sum(e => e.AmountMinor),
                Entries: (long)g.Sum(s => s.Count())))
            .OrderBy(m => m.FundId).ThenBy(m => m.Month).ThenBy(m => m.Kind).ThenBy(m => m.OfKind).ToList();
        var months = (await db.LedgerMonths.AsNoTracking().ToListAsync()).Where(m => m.Entries != 0)
            .Select(m => (m.FundId, m.Month, m.Kind, m.OfKind, In: m.InMinor, Out: m.OutMinor, m.Entries))
            .OrderBy(m => m.FundId).ThenBy(m => m.Month).ThenBy(m => m.Kind).ThenBy(m => m.OfKind).ToList();
        Assert.Equal(expectedMonths, months);

        var expectedSponsors = entries.Where(e => e.CounterpartyOrganisationId is not null
                && (e.ReversesEntryId is { } r ? byId[r].Kind : e.Kind) is LedgerEntryKind.Contribution or LedgerEntryKind.Refund)
            .GroupBy(e => (Organisation: e.CounterpartyOrganisationId!.Value, Month: MonthOf(e.ReversesEntryId is { } r ? byId[r].OccurredAt : e.OccurredAt)))
            .Select(g => (g.Key.Organisation, g.Key.Month, Given: g.Where(e => !e.CounterpartyHidden).Sum(e => e.AmountMinor),
                Hidden: g.Where(e => e.CounterpartyHidden).Sum(e => e.AmountMinor), Entries: (long)g.Count()))
            .OrderBy(s => s.Organisation).ThenBy(s => s.Month).ToList();
        var sponsors = (await db.SponsorMonths.AsNoTracking().ToListAsync()).Where(s => s.Entries != 0)
            .Select(s => (s.OrganisationId, s.Month, s.GivenMinor, s.HiddenMinor, s.Entries)).OrderBy(s => s.OrganisationId).ThenBy(s => s.Month).ToList();
        Assert.Equal(expectedSponsors, sponsors);

        var installments = await db.Installments.AsNoTracking().Select(i => new
        {
            i.Pledge!.FundId,
            i.Pledge.Kind,
            PledgeStatus = i.Pledge.Status,
            i.Status,
            i.Currency,
            i.AmountDueMinor,
            i.AmountReceivedMinor,
            i.HoursDueMinutes,
        }).ToListAsync();
        var expectedTotals = installments.GroupBy(i => (i.FundId, i.Kind, i.PledgeStatus, i.Status, i.Currency))
            .Select(g => (g.Key.FundId, g.Key.Kind, g.Key.PledgeStatus, g.Key.Status, g.Key.Currency, (long)g.Count(),
                g.Sum(i => Math.Max(0, i.AmountDueMinor - i.AmountReceivedMinor)), g.Sum(i => i.HoursDueMinutes)))
            .OrderBy(t => t.ToString(), StringComparer.Ordinal).ToList();
        var totals = (await db.InstallmentTotals.AsNoTracking().ToListAsync()).Where(t => t.Installments != 0)
            .Select(t => (t.FundId, t.PledgeKind, t.PledgeStatus, t.Status, t.Currency, t.Installments, t.OutstandingMinor, t.HoursDueMinutes))
            .OrderBy(t => t.ToString(), StringComparer.Ordinal).ToList();
        Assert.Equal(expectedTotals, totals);
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "FundingPortal.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("The repository root (FundingPortal.sln) is not above the test assembly.");
    }
}
