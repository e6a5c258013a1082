using System.Data;
using System.Data.Common;

using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Ledger;

/// <summary>
/// An admin moves base-currency money from one fund to another with a public reason: both legs and one audit event in one serializable
/// transaction, so two transfers at once cannot overdraw the source.
/// </summary>
public sealed class TransferBetweenFunds(Handlers handlers, IOptions<PortalOptions> options)
{
    public Task<Result<Guid>> TransferAsync(TransferInput input, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, new(Caller.Admin, "Only admins can transfer money between funds."), async scope =>
        {
            var db = scope.Db;
            var baseCurrency = options.Value.BaseCurrency;
            var checks = new FieldChecks();
            checks.Require(input.FromFundId is { } from && await db.Funds.AnyAsync(f => f.Id == from, cancellationToken), nameof(TransferInput.FromFundId),
                "Choose the fund the money comes from.");
            if (checks.Require(input.ToFundId is { } to && await db.Funds.AnyAsync(f => f.Id == to, cancellationToken), nameof(TransferInput.ToFundId),
                "Choose the fund the money goes to."))
            {
                checks.Require(input.ToFundId != input.FromFundId, nameof(TransferInput.ToFundId), "Choose a different fund to move the money to.");
            }
            var amount = Money.ParsePositive(input.Amount, baseCurrency);
            if (!amount.Succeeded)
            {
                checks.Add(nameof(TransferInput.Amount), amount.Problem!.Message);
            }
            var reason = input.Reason.Trim();
            checks.Require(reason.Length > 0 && reason.Length <= TransferInput.ReasonMaxLength, nameof(TransferInput.Reason),
                $"Give the public reason for the transfer (up to {TransferInput.ReasonMaxLength} characters).");
            if (checks.Problem is { } problem)
            {
                return problem;
            }
            var (fromId, toId) = (input.FromFundId!.Value, input.ToFundId!.Value);

            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
                var balance = await FundBalances.OfAsync(db, fromId, baseCurrency, cancellationToken);
                if (amount.Value.MinorUnits > balance.MinorUnits)
                {
                    return Result<Guid>.Invalid(nameof(TransferInput.Amount), $"The fund holds only {balance}; transfer at most that.");
                }
                var now = scope.Now;
                var (outLeg, inLeg) = global::FundingPortal.Core.Domain.Ledger.Transfer(fromId, toId, amount.Value, reason, now, userId);
                db.LedgerEntries.AddRange(LedgerEntry.Book(outLeg), LedgerEntry.Book(inLeg));
                db.Audit("fund.transfer", nameof(Fund), fromId.ToString(CultureInfo.InvariantCulture), userId, now,
                    after: new { From = fromId, To = toId, Amount = amount.Value.ToString(), Reason = reason, TransferId = outLeg.TransferId });
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return Result<Guid>.Ok(outLeg.TransferId!.Value);
            }
            catch (Exception exception) when (exception is DbUpdateException or DbException)
            {
                return Result<Guid>.Conflict("The fund's balance changed while you were transferring; reload and try again.");
            }
        }, cancellationToken);
}
