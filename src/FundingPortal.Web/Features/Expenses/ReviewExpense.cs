using System.Data;
using System.Data.Common;

using FundingPortal.Web.Features.Ledger;

using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Expenses;

/// <summary>
/// Another reviewer approves or rejects an expense; an approved one is then marked paid, which books it on the ledger. Each step is
/// one transaction with its audit event, and is refused if the expense changed since the reviewer loaded it (its version).
/// </summary>
public sealed class ReviewExpense(Handlers handlers, IOptions<PortalOptions> options)
{
    public const string ChangedMessage = "Someone else changed this expense; reload it and try again.";

    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers can review expenses.", ChangedMessage);

    public Task<Result<int>> ApproveAsync(int expenseId, int version, string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(expenseId, version, userId, "expense.approved", (expense, now) => expense.Approve(userId, now), cancellationToken);

    public Task<Result<int>> RejectAsync(int expenseId, int version, string? reason, string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(expenseId, version, userId, "expense.rejected", (expense, now) => expense.Reject(userId, reason, now), cancellationToken);

    /// <summary>
    /// Marks an approved expense paid and books it on its fund in the base currency. <paramref name="rate"/> (base units per unit of the
    /// expense's currency) is needed only when the currencies differ. A fund cannot pay more than it holds.
    /// </summary>
    public Task<Result<int>> MarkPaidAsync(int expenseId, int version, string? rate, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers with { Forbidden = "Only reviewers can mark expenses paid." }, async scope =>
        {
            var baseCurrency = options.Value.BaseCurrency;
            var db = scope.Db;
            var expense = await LoadAsync(db, expenseId, version, cancellationToken);
            if (!expense.Succeeded)
            {
                return expense.Problem!;
            }
            var paid = expense.Value!;
            decimal exchangeRate = 1;
            if (paid.Currency != baseCurrency
                && (!decimal.TryParse(rate?.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out exchangeRate) || exchangeRate <= 0))
            {
                return Result<int>.Invalid("rate", $"Enter the rate used: how many {baseCurrency} one {paid.Currency} cost (such as 1.0825).");
            }
            var inBase = paid.Amount.ConvertTo(baseCurrency, exchangeRate);
            if (!inBase.Succeeded)
            {
                return Result<int>.Invalid("rate", inBase.Problem!.Message);
            }
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
                var balance = await FundBalances.OfAsync(db, paid.FundId, baseCurrency, cancellationToken);
                if (inBase.Value.MinorUnits > balance.MinorUnits)
                {
                    return Result<int>.Conflict($"The fund holds only {balance}, less than the {inBase.Value} this expense costs; transfer money into it first.");
                }
                var marked = paid.MarkPaid(userId, scope.Now);
                if (!marked.Succeeded)
                {
                    return marked.Problem!;
                }
                var entry = LedgerEntry.Book(global::FundingPortal.Core.Domain.Ledger.ExpensePaid(paid, inBase.Value, exchangeRate, scope.Now, userId));
                db.LedgerEntries.Add(entry);
                db.Audit("expense.paid", nameof(Expense), Id(paid), userId, scope.Now, before: new { Status = ExpenseStatus.Approved.ToString() },
                    after: new { Status = paid.Status.ToString(), Paid = inBase.Value.ToString(), Rate = exchangeRate });
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return Result<int>.Ok(paid.Id);
            }
            catch (Exception exception) when (exception is DbException || (exception is DbUpdateException and not DbUpdateConcurrencyException))
            {
                return Result<int>.Conflict("The fund's balance changed while you were paying; reload and try again.");
            }
        }, cancellationToken);

    private Task<Result<int>> ChangeAsync(int expenseId, int version, string userId, string action, Func<Expense, DateTime, Result<Expense>> change,
        CancellationToken cancellationToken) =>
        handlers.RunAsync(userId, Reviewers, async scope =>
        {
            var db = scope.Db;
            var expense = await LoadAsync(db, expenseId, version, cancellationToken);
            if (!expense.Succeeded)
            {
                return expense.Problem!;
            }
            var reviewed = expense.Value!;
            var before = reviewed.Status;
            var changed = change(reviewed, scope.Now);
            if (!changed.Succeeded)
            {
                return changed.Problem!;
            }
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Audit(action, nameof(Expense), Id(reviewed), userId, scope.Now, before: new { Status = before.ToString() },
                after: new { Status = reviewed.Status.ToString(), reviewed.RejectionReason });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result<int>.Ok(reviewed.Id);
        }, cancellationToken);

    /// <summary>The expense as the reviewer saw it: if its version moved on since, the reviewer is told instead of overwriting.</summary>
    private static async Task<Result<Expense>> LoadAsync(AppDbContext db, int expenseId, int version, CancellationToken cancellationToken)
    {
        var expense = await db.Expenses.SingleOrDefaultAsync(e => e.Id == expenseId, cancellationToken);
        if (expense is null)
        {
            return Result<Expense>.NotFound("The expense");
        }
        if (expense.Version != version)
        {
            return Result<Expense>.Conflict(ChangedMessage);
        }
        return Result<Expense>.Ok(expense);
    }

    private static string Id(Expense expense) => expense.Id.ToString(CultureInfo.InvariantCulture);
}
