using System.Security.Cryptography;
using System.Text;

using FundingPortal.Web.Features.CiUsage;

namespace FundingPortal.Web.Features.Demo;

/// <summary>
/// The CI providers of <see cref="CiProviders"/> with one import batch each, two years of job runs drawn from their pipelines,
/// and monthly budgets.
/// </summary>
internal sealed partial class DemoSeeding
{
    private const long MicrosPerCent = 10_000;

    private readonly Dictionary<CiProviderKind, int> _providerIds = [];

    /// <summary>What one provider cost in one month, for its invoice (an expense) and its budget.</summary>
    private sealed record CiMonth(int ProviderId, CiProviderSpec Provider, DateOnly Month, long ListMicros, long PaidMicros);

    /// <summary>How one run of a job ended and how long it took.</summary>
    private sealed record CiOutcome(CiJobStatus Status, long Seconds);

    private async Task<List<CiMonth>> SeedCiUsageAsync()
    {
        // Start-up seeds the public list prices of GitHub Actions, GitLab CI and CircleCI; the demo prices its runs with those.
        var existing = await db.CiProviders.Include(p => p.Prices).ToDictionaryAsync(p => p.Name, StringComparer.Ordinal);
        var providers = CiProviders.Select(spec =>
        {
            if (existing.TryGetValue(spec.Name, out var seeded))
            {
                return seeded;
            }
            var provider = Must(CiProvider.New(spec.Name, spec.Kind, spec.Rounding, spec.IncludedMinutes, "USD"));
            spec.PriceBook(provider);
            db.CiProviders.Add(provider);
            return provider;
        }).ToList();
        await SaveAsync();

        var months = new List<CiMonth>();
        for (var p = 0; p < providers.Count; p++)
        {
            var provider = providers[p];
            _providerIds[provider.Kind] = provider.Id;
            months.AddRange(await SeedJobRunsAsync(CiProviders[p], provider, new Random(Seed + 10 + p)));
        }
        AddBudgets(months);
        await FlushAsync();
        return months;
    }

    private async Task<List<CiMonth>> SeedJobRunsAsync(CiProviderSpec spec, CiProvider provider, Random random)
    {
        var batch = ImportBatch.Start(provider.Id, spec.Format.Id, spec.FileName, FileHash(spec), _reviewer.Id, now);
        db.ImportBatches.Add(batch);
        await SaveAsync();

        var import = new CiImport(spec, provider, batch.Id);
        var pending = new List<CiUsageRecord>(size.RowsPerSave);
        for (var day = HistoryStart; day <= _today; day = day.AddDays(1))
        {
            foreach (var pipeline in spec.Pipelines.Where(p => day >= _today.AddDays(-p.FromDaysAgo) && day <= _today.AddDays(-p.UntilDaysAgo)))
            {
                for (var run = PipelinesOn(random, pipeline, day); run > 0; run--)
                {
                    var pipelineStart = pipeline.Nightly ? At(day, 120 + random.Next(25)) : During(random, day, 6, 22);
                    foreach (var job in pipeline.Jobs)
                    {
                        var started = pipelineStart.AddSeconds(random.Next(15, 12 * 60));
                        var outcome = RunJob(random, job, DayShare(day, pipeline));
                        var finished = started.AddSeconds(outcome.Seconds);
                        if (finished > now)
                        {
                            continue;
                        }
                        pending.Add(import.Record(random, pipeline, job, started, outcome, isRetry: false));
                        // Failed and timed-out jobs are often retried once: the second run costs money too, and counts as waste.
                        if (outcome.Status is CiJobStatus.Failed or CiJobStatus.TimedOut && Chance(random, 0.4))
                        {
                            var retryStarted = finished.AddSeconds(random.Next(60, 20 * 60));
                            var retry = RunJob(random, job, DayShare(day, pipeline));
                            if (retryStarted.AddSeconds(retry.Seconds) <= now)
                            {
                                pending.Add(import.Record(random, pipeline, job, retryStarted, retry, isRetry: true));
                            }
                        }
                    }
                }
            }
            if (pending.Count >= size.RowsPerSave)
            {
                db.CiUsageRecords.AddRange(pending);
                pending.Clear();
                await FlushAsync();
            }
        }
        db.CiUsageRecords.AddRange(pending);
        await FlushAsync();

        batch.Complete(import.Rows, import.Rows, rowsRejected: 0, rowsAlreadyStored: 0, rowsNotMinutes: 0, now);
        db.ImportBatches.Update(batch);
        await FlushAsync();
        // As an import does: the batch's runs go into the monthly roll-up the CI cost reports read.
        await CiUsageRollup.AddBatchAsync(db, batch.Id, cancellationToken);
        // The time limits the jobs run under, so the reports can show which come close to them.
        foreach (var (project, job, minutes) in spec.Pipelines.SelectMany(p => p.Jobs.Select(j => (p.Project, j.Name, j.TimeoutMinutes))).DistinctBy(j => (j.Project, j.Name)))
        {
            db.CiJobTimeouts.Add(CiJobTimeout.Create(provider.Id, project, job, minutes).Value!);
        }
        await FlushAsync();
        return [.. import.Months.Select(m => new CiMonth(provider.Id, spec, m.Key, m.Value.ListMicros, m.Value.PaidMicros))];
    }

    /// <summary>How many times a pipeline runs on a day: nightly once, merge requests mostly on weekdays.</summary>
    private int PipelinesOn(Random random, CiPipelineSpec pipeline, DateOnly day)
    {
        if (pipeline.Nightly)
        {
            return 1;
        }
        var weekday = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.35m : 1.26m;
        var expected = pipeline.PerDay * size.CiPipelineFactor * weekday;
        var whole = (int)expected;
        return whole + (Chance(random, (double)(expected - whole)) ? 1 : 0);
    }

    /// <summary>How far through the pipeline's life a day is (0 at its first day, 1 today), to move typical durations.</summary>
    private double DayShare(DateOnly day, CiPipelineSpec pipeline)
    {
        var first = Math.Max(_today.AddDays(-pipeline.FromDaysAgo).DayNumber, HistoryStart.DayNumber);
        var span = _today.DayNumber - first;
        return span <= 0 ? 1 : (double)(day.DayNumber - first) / span;
    }

    /// <summary>Draws one run's result and duration. Durations are not money, so floating point is fine here.</summary>
    private static CiOutcome RunJob(Random random, CiJobSpec job, double share)
    {
        var typical = (job.MinutesThen + ((job.MinutesNow - job.MinutesThen) * share)) * 60;
        var seconds = typical * (1 + (0.12 * Normal(random)));
        if (Chance(random, 0.03))
        {
            seconds *= 1.3 + (random.NextDouble() * 0.3); // a slow or overloaded runner
        }
        seconds = Math.Max(seconds, typical * 0.3);
        var roll = random.Next(1000);
        if (roll < 5)
        {
            return new CiOutcome(CiJobStatus.Skipped, 0);
        }
        if (roll < 45)
        {
            return new CiOutcome(CiJobStatus.Cancelled, (long)(seconds * (0.05 + (random.NextDouble() * 0.6))));
        }
        var limit = job.TimeoutMinutes * 60;
        if (seconds >= limit)
        {
            return new CiOutcome(CiJobStatus.TimedOut, limit + random.Next(2, 40));
        }
        if (roll < 45 + (job.FailurePercent * 10))
        {
            return new CiOutcome(CiJobStatus.Failed, (long)(seconds * (0.2 + (random.NextDouble() * 0.8))));
        }
        return new CiOutcome(CiJobStatus.Success, (long)seconds);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Batches are unique by file hash; the demo's "files" hash their provider's name.</summary>
    private static string FileHash(CiProviderSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"demo-seed:{spec.FileName}")));

    /// <summary>
    /// A budget per provider for each recent month it was used in: what it cost on average in the three months before,
    /// plus some headroom, so some months stay under and some cross the alert threshold.
    /// </summary>
    private void AddBudgets(List<CiMonth> months)
    {
        var thisMonth = new DateOnly(_today.Year, _today.Month, 1);
        foreach (var provider in months.GroupBy(m => m.ProviderId))
        {
            var byMonth = provider.ToDictionary(m => m.Month);
            for (var month = thisMonth.AddMonths(-5); month <= thisMonth; month = month.AddMonths(1))
            {
                if (!byMonth.ContainsKey(month))
                {
                    continue;
                }
                var before = Enumerable.Range(1, 3).Select(back => byMonth.GetValueOrDefault(month.AddMonths(-back))).OfType<CiMonth>().ToList();
                var averageCents = before.Count == 0 ? 0 : before.Sum(m => m.PaidMicros) / before.Count / MicrosPerCent;
                var withHeadroom = averageCents * 115 / 100;
                var cents = Math.Max(100_00, (withHeadroom + 49_99) / 50_00 * 50_00);
                db.Budgets.Add(Must(Budget.Plan(provider.Key, month, new Money(cents, "USD"), alertThresholdPercent: 80)));
            }
        }
    }

    /// <summary>One provider's import while it is generated: its prices, its batch, and what each month has cost so far.</summary>
    private sealed class CiImport(CiProviderSpec spec, CiProvider provider, int batchId)
    {
        private readonly Dictionary<string, List<CiRunnerPrice>> _prices = provider.Prices
            .GroupBy(price => price.RunnerType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(price => price.ValidFrom).ToList(), StringComparer.Ordinal);

        private readonly int _providerId = provider.Id;
        private long _jobNumber;

        public SortedDictionary<DateOnly, CiMonthTally> Months { get; } = [];

        public int Rows { get; private set; }

        public CiUsageRecord Record(Random random, CiPipelineSpec pipeline, CiJobSpec job, DateTime started, CiOutcome outcome, bool isRetry)
        {
            var day = DateOnly.FromDateTime(started);
            var price = _prices[job.RunnerType].First(candidate => candidate.ValidFrom <= day);
            var raw = spec.Rounding == CiRounding.PerJobUpToMinute
                ? Math.Ceiling(outcome.Seconds / 60m)
                : decimal.Round(outcome.Seconds / 60m, 4);
            var quota = raw * price.Multiplier;
            var list = (long)decimal.Round(raw * price.PricePerMinute * 1_000_000m, 0, MidpointRounding.AwayFromZero);
            var month = new DateOnly(day.Year, day.Month, 1);
            if (!Months.TryGetValue(month, out var tally))
            {
                Months[month] = tally = new CiMonthTally();
            }
            var paid = tally.Charge(pipeline.Billing, spec.IncludedMinutes, list, quota);
            Rows++;
            return CiUsageRecord.Create(new CiJobRun(_providerId, batchId, spec.ExternalId(random, ++_jobNumber), pipeline.Project, pipeline.Pipeline,
                job.Name, job.RunnerType, job.Os, started, outcome.Status == CiJobStatus.Skipped ? null : started.AddSeconds(outcome.Seconds),
                outcome.Seconds, raw, quota, list, paid, "USD", outcome.Status, spec.Statuses.For(outcome.Status), isRetry));
        }
    }

    private sealed class CiMonthTally
    {
        private decimal _quotaMinutesUsed;

        public long ListMicros { get; private set; }

        public long PaidMicros { get; private set; }

        /// <summary>
        /// Adds a job to the month and says what the project pays for it: nothing, all of it, or the part of its quota
        /// minutes beyond the month's included minutes.
        /// </summary>
        public long Charge(CiBilling billing, int includedMinutes, long listMicros, decimal quotaMinutes)
        {
            var before = _quotaMinutesUsed;
            _quotaMinutesUsed += quotaMinutes;
            var beyond = Math.Clamp(_quotaMinutesUsed - Math.Max(before, includedMinutes), 0, quotaMinutes);
            var paid = billing switch
            {
                CiBilling.Free => 0,
                CiBilling.Flat => listMicros,
                _ => quotaMinutes == 0 ? 0 : (long)decimal.Round(listMicros * beyond / quotaMinutes, 0, MidpointRounding.AwayFromZero),
            };
            ListMicros += listMicros;
            PaidMicros += paid;
            return paid;
        }
    }
}
