using System.Diagnostics;
using System.Globalization;

using Microsoft.Data.Sqlite;

namespace FundingPortal.Benchmarks;

/// <summary>The writes another connection made during an import and how long the longest one waited for SQLite's write lock.</summary>
internal sealed record ProbeReport(int Writes, int Failed, double MedianMilliseconds, double LongestMilliseconds);

/// <summary>
/// What a person saving something during an SQLite import goes through (CiImportLockTests' idea, as a measurement): every 200 ms a
/// second connection inserts one row into a scratch table, waiting for the write lock as the portal's connections do
/// (Microsoft.Data.Sqlite retries a busy write until its 30 s command timeout). The scratch table is made before the import starts.
/// </summary>
internal sealed class SqliteWriteProbe
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(200);

    private readonly List<double> _waits = [];
    private readonly Task _loop;
    private int _failed;
    private volatile bool _stopping;

    private SqliteWriteProbe(string connectionString)
    {
        _loop = Task.Factory.StartNew(() => Loop(connectionString), TaskCreationOptions.LongRunning);
    }

    public static SqliteWriteProbe Start(string connectionString)
    {
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE IF NOT EXISTS bench_probe (id INTEGER PRIMARY KEY, at TEXT NOT NULL)";
            create.ExecuteNonQuery();
        }
        return new SqliteWriteProbe(connectionString);
    }

    private void Loop(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO bench_probe (at) VALUES ($at)";
        var at = insert.Parameters.Add(new SqliteParameter { ParameterName = "$at" });
        while (!_stopping)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                at.Value = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
                insert.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                _failed++;
            }
            _waits.Add(watch.Elapsed.TotalMilliseconds);
            Thread.Sleep(Every);
        }
    }

    public async Task<ProbeReport> StopAsync()
    {
        _stopping = true;
        await _loop;
        var sorted = _waits.Order().ToList();
        return sorted.Count == 0
            ? new ProbeReport(0, _failed, 0, 0)
            : new ProbeReport(sorted.Count, _failed, sorted[sorted.Count / 2], sorted[^1]);
    }
}
