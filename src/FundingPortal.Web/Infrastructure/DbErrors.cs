using Microsoft.Data.Sqlite;

using Npgsql;

namespace FundingPortal.Web.Infrastructure;

/// <summary>
/// What a failed save means, read from each provider's error code (never from message text, which changes with the
/// version and the server's language).
/// </summary>
public static class DbErrors
{
    // https://www.sqlite.org/rescode.html#constraint_unique and #constraint_primarykey
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>True when the save broke a unique index: someone else stored the same key a moment before.</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
