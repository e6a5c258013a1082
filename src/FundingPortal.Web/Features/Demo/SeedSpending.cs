namespace FundingPortal.Web.Features.Demo;

/// <summary>
/// Money going out: monthly CI invoices that match the CI usage, CircleCI credit purchases, the Windows runner machines,
/// contractor invoices, and the transfers between the central fund and task funds that paying for them needed.
/// </summary>
internal sealed partial class DemoSeeding
{
    /// <summary>An expense to submit, and how far through approval it got.</summary>
    private sealed record ExpensePlan(FundingTarget Fund, string Vendor, string Description, ExpenseCategory Category, Money Amount, DateOnly IncurredOn,
        ExpenseStatus Outcome)
    {
        public DateTime? PaidAt { get; init; }

        public (int ProviderId, DateOnly Month)? CiBill { get; init; }

        public string? RejectionReason { get; init; }
    }

    private async Task SeedSpendingAsync(List<CiMonth> ciMonths)
    {
        var random = new Random(Seed + 30);
        var machines = TaskTarget("two-more-windows-runners");
        var machinesBought = machines.ClosedOn!.Value.AddDays(-25);
        var plans = CiInvoices(random, ciMonths).Concat(CreditPurchases(random)).Concat(
        [
            new ExpensePlan(machines, "Northgate Workstations Ltd", "Two Windows runner machines (16 cores, 128 GB RAM, 2 TB NVMe)",
                ExpenseCategory.BuildServer, new Money(7_400_00, "USD"), machinesBought, ExpenseStatus.Paid) { PaidAt = At(machinesBought.AddDays(6), 11 * 60) },
            new ExpensePlan(machines, "Fictional Hosting GmbH", "Rack space, power and setup for the Windows runners, first month",
                ExpenseCategory.BuildServer, new Money(560_00, "EUR"), machinesBought.AddDays(12), ExpenseStatus.Paid) { PaidAt = At(machinesBought.AddDays(20), 10 * 60) },
            new ExpensePlan(TaskTarget("windows-build-under-90-minutes"), "Tessellate Consulting", "Contractor invoice: clang/lld toolchain for the Windows build (28 h)",
                ExpenseCategory.Contractor, new Money(4_200_00, "USD"), _today.AddDays(-150), ExpenseStatus.Paid) { PaidAt = At(_today.AddDays(-138), 15 * 60) },
            new ExpensePlan(TaskTarget("windows-build-under-90-minutes"), "Tessellate Consulting", "Contractor invoice: splitting the Windows testsuite (38 h)",
                ExpenseCategory.Contractor, new Money(5_700_00, "USD"), _today.AddDays(-12), ExpenseStatus.Approved),
            new ExpensePlan(TaskTarget("migrate-nightlies-from-circleci"), "Ravenbyte OÜ", "Contractor invoice: porting the CircleCI nightlies to GitLab CI",
                ExpenseCategory.Contractor, new Money(3_300_00, "EUR"), _today.AddDays(-100), ExpenseStatus.Paid) { PaidAt = At(_today.AddDays(-88), 9 * 60) },
            new ExpensePlan(_central, "Conference Travel Desk", "Travel to a compiler workshop to present the CI cost report",
                ExpenseCategory.Other, new Money(1_850_00, "USD"), _today.AddDays(-70), ExpenseStatus.Rejected)
            {
                RejectionReason = "Not devops spend: please claim it from the events budget.",
            },
            new ExpensePlan(_central, "Northgate Workstations Ltd", "Replacement SSDs for two aarch64 builders", ExpenseCategory.BuildServer,
                new Money(640_00, "USD"), _today.AddDays(-3), ExpenseStatus.Submitted),
        ]).ToList();

        // A task fund pays only what it holds: the central fund tops it up first. The Windows machines were topped up in any case
        // (the group agreed on a contingency), and the cancelled Buildkite evaluation hands what it had left back.
        foreach (var costs in plans.Where(p => p.Fund.IsTask && p.Outcome == ExpenseStatus.Paid).GroupBy(p => p.Fund))
        {
            var task = costs.Key;
            var shortfall = costs.Sum(p => ToBase(p.Amount).Amount.MinorUnits) - _fundBalances.GetValueOrDefault(task.FundId);
            if (shortfall <= 0 && task != machines)
            {
                continue;
            }
            var topUp = Math.Max(task == machines ? 1_000_00 : 100_00, (shortfall + 99_99) / 100_00 * 100_00);
            Transfer(random, _central, task, new Money(topUp, baseCurrency), costs.Min(p => p.IncurredOn).AddDays(-2),
                $"Top-up from the central fund: \"{task.Name}\" cost more than its sponsors gave, agreed at the devops group meeting");
        }
        var buildkite = TaskTarget("evaluate-buildkite");
        if (_fundBalances.GetValueOrDefault(buildkite.FundId) is > 0 and var leftOver)
        {
            Transfer(random, buildkite, _central, new Money(leftOver, baseCurrency), buildkite.ClosedOn!.Value.AddDays(60),
                "Buildkite evaluation cancelled: unspent earmarked money moved to the central fund with its sponsors' agreement");
        }

        var expenses = plans.Select(plan => (Plan: plan, Expense: Submit(plan, random))).ToList();
        db.Expenses.AddRange(expenses.Select(e => e.Expense));
        await SaveAsync();
        foreach (var (plan, expense) in expenses.Where(e => e.Expense.Status == ExpenseStatus.Paid))
        {
            Book(expense.FundId, LedgerEntryKind.Expense, -expense.Amount, $"{expense.Vendor}: {expense.Description}", expense.PaidAt!.Value,
                expense.PaidAt.Value, _admin.Id, expenseId: expense.Id);
        }
        await FlushAsync();
    }

    /// <summary>
    /// One invoice per provider and finished month: the paid part of its usage for metered providers, the flat fee or
    /// hosting bill for the others. Last month's invoices are approved but not yet paid; the hosting bill still waits.
    /// </summary>
    private IEnumerable<ExpensePlan> CiInvoices(Random random, List<CiMonth> months)
    {
        var thisMonth = new DateOnly(_today.Year, _today.Month, 1);
        foreach (var month in months.Where(m => m.Month < thisMonth))
        {
            var spec = month.Provider;
            var cents = spec.InvoicesUsage ? (month.PaidMicros + (MicrosPerCent / 2)) / MicrosPerCent : spec.MonthlyFeeCents;
            if (cents < 1_00)
            {
                continue;
            }
            var invoiced = month.Month.AddMonths(1);
            var lastMonth = invoiced == thisMonth;
            var outcome = !lastMonth ? ExpenseStatus.Paid : spec.Kind == CiProviderKind.SelfHosted ? ExpenseStatus.Submitted : ExpenseStatus.Approved;
            var label = month.Month.ToString("MMMM yyyy", CultureInfo.InvariantCulture);
            yield return new ExpensePlan(_central, spec.Vendor, spec.Kind == CiProviderKind.SelfHosted ? $"Runner hosting, {label}" : $"{spec.Name}, {label}",
                ExpenseCategory.CiInvoice, new Money(cents, "USD"), invoiced, outcome)
            {
                PaidAt = outcome == ExpenseStatus.Paid ? During(random, invoiced.AddDays(random.Next(3, 14))) : null,
                CiBill = (month.ProviderId, month.Month),
            };
        }
    }

    /// <summary>CircleCI credits bought every quarter while CircleCI ran, on top of the donated ones.</summary>
    private IEnumerable<ExpensePlan> CreditPurchases(Random random)
    {
        var stopped = _today.AddDays(-CircleCiStoppedDaysAgo);
        for (var bought = HistoryStart.AddDays(10); bought < stopped; bought = bought.AddMonths(3))
        {
            yield return new ExpensePlan(_central, "Circle Internet Services, Inc.", "CircleCI credits: 500,000", ExpenseCategory.CiCredits,
                new Money(300_00, "USD"), bought, ExpenseStatus.Paid)
            { PaidAt = During(random, bought) };
        }
    }

    private Expense Submit(ExpensePlan plan, Random random)
    {
        var expense = Expense.Submit(plan.Fund.FundId, plan.Vendor, plan.Description, plan.Category, plan.Amount, plan.IncurredOn, _reviewer.Id,
            NotAfterNow(During(random, plan.IncurredOn.AddDays(1))));
        if (plan.CiBill is { } bill)
        {
            expense.LinkCiBill(bill.ProviderId, bill.Month);
        }
        // A reviewer submits, and the rules want someone else to approve: the admin does.
        switch (plan.Outcome)
        {
            case ExpenseStatus.Approved:
                Must(expense.Approve(_admin.Id, expense.SubmittedAt.AddDays(1)));
                break;
            case ExpenseStatus.Paid:
                Must(expense.Approve(_admin.Id, expense.SubmittedAt.AddDays(1)));
                Must(expense.MarkPaid(_admin.Id, plan.PaidAt ?? now));
                break;
            case ExpenseStatus.Rejected:
                Must(expense.Reject(_admin.Id, plan.RejectionReason ?? "Rejected.", expense.SubmittedAt.AddDays(1)));
                break;
        }
        return expense;
    }

    /// <summary>A transfer is two ledger entries with one id: money out of one fund, the same money into the other.</summary>
    private void Transfer(Random random, FundingTarget from, FundingTarget to, Money amount, DateOnly on, string reason)
    {
        var id = new Guid(Hex(random, 16));
        var at = During(random, on);
        Book(from.FundId, LedgerEntryKind.Transfer, -amount, reason, at, at, _admin.Id, transferId: id);
        Book(to.FundId, LedgerEntryKind.Transfer, amount, reason, at, at, _admin.Id, transferId: id);
    }
}
