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

    /// <summary>
    /// Rows per INSERT statement: many on PostgreSQL, to save round trips; one on SQLite, whose statement is prepared once and which
    /// looks each named parameter up by a linear search (a 500-row statement spent seconds just binding).
    /// </summary>
    private static int RowsPerStatement(bool postgres) => postgres ? 500 : 1;

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

    /// <summary>The sums per currency, as the import's report shows them.</summary>
    public IReadOnlyList<ImportTotals> Totals() =>
        [.. _months.GroupBy(m => m.Key.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => ImportReports.Total(g.Key, g.Sum(m => m.Value.Runs), g.Sum(m => m.Value.RawMinutes), g.Sum(m => m.Value.QuotaMinutes),
                g.Sum(m => m.Value.Credits), g.Sum(m => m.Value.ListAmountMicros), g.Sum(m => m.Value.PaidAmountMicros)))];

    /// <summary>Adds the sums to the roll-up tables in the caller's transaction, a few hundred keys per statement.</summary>
    public async Task SaveAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        var longest = CiUsageRollup.Greatest(postgres, "\"CiUsageMonths\".\"LongestDurationSeconds\"", "excluded.\"LongestDurationSeconds\"");
        var monthUpsert = $"ON CONFLICT ({CiUsageRollup.MonthKey}) DO UPDATE SET {CiUsageRollup.AddExcluded(postgres, "\"CiUsageMonths\"", CiUsageRollup.MonthSums)}, " +
            $"\"LongestDurationSeconds\" = {longest}";
        await UpsertAsync(db, $"INSERT INTO \"CiUsageMonths\" ({CiUsageRollup.MonthKey}, {CiUsageRollup.MonthSums}, \"LongestDurationSeconds\")", monthUpsert,
            _months.Select(m => new object[]
            {
                m.Key.ProviderId, m.Key.Month, m.Key.Project, m.Key.JobName, m.Key.Status.ToString(), m.Key.IsRetry, m.Key.Currency,
                m.Value.Runs, m.Value.DurationSeconds, m.Value.RawMinutes, m.Value.QuotaMinutes, m.Value.Credits,
                m.Value.ListAmountMicros, m.Value.PaidAmountMicros, m.Value.LongestDurationSeconds,
            }).Chunk(RowsPerStatement(postgres)), cancellationToken);
        var dayUpsert = $"ON CONFLICT ({CiUsageRollup.DayKey}) DO UPDATE SET {CiUsageRollup.AddExcluded(postgres, "\"CiUsageDays\"", CiUsageRollup.DaySums)}";
        await UpsertAsync(db, $"INSERT INTO \"CiUsageDays\" ({CiUsageRollup.DayKey}, {CiUsageRollup.DaySums})", dayUpsert,
            _days.Select(d => new object[] { d.Key.ProviderId, d.Key.Day, d.Value.Runs, d.Value.QuotaMinutes, d.Value.Credits }).Chunk(RowsPerStatement(postgres)),
            cancellationToken);
    }

    /// <summary>Runs the upsert for each chunk of rows, reusing one prepared command while the chunks have the same size.</summary>
    private static async Task UpsertAsync(AppDbContext db, string insert, string upsert, IEnumerable<object[][]> chunks, CancellationToken cancellationToken)
    {
        DbCommand? command = null;
        try
        {
            foreach (var rows in chunks)
            {
                if (command is null || command.Parameters.Count != rows.Length * rows[0].Length)
                {
                    if (command is not null)
                    {
                        await command.DisposeAsync();
                    }
                    command = Prepare(db, insert, upsert, rows.Length, rows[0].Length);
                }
                var i = 0;
                foreach (var value in rows.SelectMany(row => row))
                {
                    command.Parameters[i++].Value = value;
                }
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }
    }

    private static DbCommand Prepare(AppDbContext db, string insert, string upsert, int rows, int columns)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var tuples = new List<string>(rows);
        for (var row = 0; row < rows; row++)
        {
            var names = new string[columns];
            for (var column = 0; column < columns; column++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = names[column] = $"@p{command.Parameters.Count}";
                command.Parameters.Add(parameter);
            }
            tuples.Add($"({string.Join(", ", names)})");
        }
        command.CommandText = $"{insert} VALUES {string.Join(", ", tuples)} {upsert}";
        return command;
    }
}
