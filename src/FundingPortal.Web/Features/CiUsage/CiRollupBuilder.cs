using System.Data.Common;

using Microsoft.EntityFrameworkCore.Storage;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// The roll-up of an import's runs, summed while they are written instead of read back from a million records afterwards. Its size
/// is one entry per roll-up key and per provider and day, never per run, so memory stays flat in file size. <see cref="SaveAsync"/>
/// adds it to <c>CiUsageMonths</c> and <c>CiUsageDays</c> the way <see cref="CiUsageRollup.AddBatchAsync"/> adds stored records.
/// </summary>
public sealed class CiRollupBuilder
{
    private readonly record struct MonthKey(int ProviderId, DateOnly Month, string Project, string JobName, CiJobStatus Status, bool IsRetry, string Currency);

    private sealed class MonthSums
    {
        public long Runs;
        public long DurationSeconds;
        public decimal RawMinutes;
        public decimal QuotaMinutes;
        public decimal Credits;
        public long ListAmountMicros;
        public long PaidAmountMicros;
        public long LongestDurationSeconds;
    }

    private sealed class DaySums
    {
        public long Runs;
        public decimal QuotaMinutes;
        public decimal Credits;
    }

    private readonly Dictionary<MonthKey, MonthSums> _months = [];
    private readonly Dictionary<(int ProviderId, DateOnly Day), DaySums> _days = [];

    /// <summary>Rows per INSERT statement: 15 parameters each stays well under either database's limit.</summary>
    private const int RowsPerStatement = 500;

    public void Add(CiJobRun run)
    {
        var day = DateOnly.FromDateTime(run.StartedAt);
        var key = new MonthKey(run.ProviderId, new DateOnly(day.Year, day.Month, 1), run.Project, run.JobName, run.Status, run.IsRetry, run.Currency);
        if (!_months.TryGetValue(key, out var month))
        {
            _months[key] = month = new MonthSums();
        }
        month.Runs++;
        month.DurationSeconds += run.DurationSeconds;
        month.RawMinutes += run.RawMinutes;
        month.QuotaMinutes += run.QuotaMinutes;
        month.Credits += run.Credits;
        month.ListAmountMicros += run.ListAmountMicros;
        month.PaidAmountMicros += run.PaidAmountMicros;
        month.LongestDurationSeconds = Math.Max(month.LongestDurationSeconds, run.DurationSeconds);

        if (!_days.TryGetValue((run.ProviderId, day), out var daily))
        {
            _days[(run.ProviderId, day)] = daily = new DaySums();
        }
        daily.Runs++;
        daily.QuotaMinutes += run.QuotaMinutes;
        daily.Credits += run.Credits;
    }

    /// <summary>Adds the sums to the roll-up tables in the caller's transaction, a few hundred keys per statement.</summary>
    public async Task SaveAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        var longest = CiUsageRollup.Greatest(postgres, "\"CiUsageMonths\".\"LongestDurationSeconds\"", "excluded.\"LongestDurationSeconds\"");
        var monthUpsert = $"ON CONFLICT ({CiUsageRollup.MonthKey}) DO UPDATE SET {CiUsageRollup.AddExcluded(postgres, "\"CiUsageMonths\"", CiUsageRollup.MonthSums)}, " +
            $"\"LongestDurationSeconds\" = {longest}";
        foreach (var chunk in _months.Chunk(RowsPerStatement))
        {
            await ExecuteAsync(db, $"INSERT INTO \"CiUsageMonths\" ({CiUsageRollup.MonthKey}, {CiUsageRollup.MonthSums}, \"LongestDurationSeconds\")",
                monthUpsert, chunk.Select(m => new object[]
                {
                    m.Key.ProviderId, m.Key.Month, m.Key.Project, m.Key.JobName, m.Key.Status.ToString(), m.Key.IsRetry, m.Key.Currency,
                    m.Value.Runs, m.Value.DurationSeconds, m.Value.RawMinutes, m.Value.QuotaMinutes, m.Value.Credits,
                    m.Value.ListAmountMicros, m.Value.PaidAmountMicros, m.Value.LongestDurationSeconds,
                }), cancellationToken);
        }
        var dayUpsert = $"ON CONFLICT ({CiUsageRollup.DayKey}) DO UPDATE SET {CiUsageRollup.AddExcluded(postgres, "\"CiUsageDays\"", CiUsageRollup.DaySums)}";
        foreach (var chunk in _days.Chunk(RowsPerStatement))
        {
            await ExecuteAsync(db, $"INSERT INTO \"CiUsageDays\" ({CiUsageRollup.DayKey}, {CiUsageRollup.DaySums})", dayUpsert,
                chunk.Select(d => new object[] { d.Key.ProviderId, d.Key.Day, d.Value.Runs, d.Value.QuotaMinutes, d.Value.Credits }), cancellationToken);
        }
    }

    private static async Task ExecuteAsync(AppDbContext db, string insert, string upsert, IEnumerable<object[]> rows, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var tuples = new List<string>();
        foreach (var row in rows)
        {
            var names = new string[row.Length];
            for (var i = 0; i < row.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = names[i] = $"@p{command.Parameters.Count}";
                parameter.Value = row[i];
                command.Parameters.Add(parameter);
            }
            tuples.Add($"({string.Join(", ", names)})");
        }
        command.CommandText = $"{insert} VALUES {string.Join(", ", tuples)} {upsert}";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
