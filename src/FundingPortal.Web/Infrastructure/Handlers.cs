namespace FundingPortal.Web.Infrastructure;

/// <summary>Who may run a handler. Checked in the database when the handler runs, whatever the caller's cookie still says.</summary>
public enum Caller
{
    /// <summary>Any signed-in user; the handler scopes what it loads (e.g. through <c>OrganisationAccess</c>).</summary>
    SignedIn,

    /// <summary>A reviewer, or an admin with a second factor.</summary>
    Reviewer,

    /// <summary>An admin with a second factor.</summary>
    Admin,
}

/// <summary>A handler's rules, declared once beside it: who may call it and the sentences for refusal and for a lost race.</summary>
public sealed record HandlerRules(Caller Caller, string Forbidden, string Conflict = HandlerRules.SomeoneElseChangedIt)
{
    public const string SomeoneElseChangedIt = "Someone else changed this a moment ago. Reload the page and try again.";
}

/// <summary>What a handler's work gets: a context of its own, the caller, and the moment it runs.</summary>
public sealed record HandlerScope(AppDbContext Db, string UserId, DateTime Now)
{
    public DateOnly Today => DateOnly.FromDateTime(Now);
}

/// <summary>
/// The one handler pattern: open a context, check the caller's role from the database, run the work, and turn a lost race
/// (a concurrency token or a unique index) into a Conflict the user can act on. The work saves its own changes.
/// </summary>
public sealed class Handlers(IDbContextFactory<AppDbContext> contexts, TimeProvider clock)
{
    public async Task<Result<T>> RunAsync<T>(string userId, HandlerRules rules, Func<HandlerScope, Task<Result<T>>> work,
        CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.IsAllowedAsync(userId, rules.Caller, cancellationToken))
        {
            return Result<T>.Forbidden(rules.Forbidden);
        }
        try
        {
            return await work(new HandlerScope(db, userId, clock.GetUtcNow().UtcDateTime));
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result<T>.Conflict(rules.Conflict);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            return Result<T>.Conflict(rules.Conflict);
        }
    }

    /// <summary>For a command-line verb its operator runs on the server: there is no signed-in caller to check.</summary>
    public async Task<Result<T>> RunOnServerAsync<T>(Func<HandlerScope, Task<Result<T>>> work, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await work(new HandlerScope(db, "", clock.GetUtcNow().UtcDateTime));
    }
}
