using FundingPortal.Core.Domain;

namespace FundingPortal.UnitTests;

public class TaskAndExpenseRulesTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_proposed_task_has_its_own_earmarked_fund()
    {
        var task = DevopsTask.Propose("Windows build under 90 minutes", "windows-build", "", new Money(1_000_000, "USD"), Hours.FromHours(40), null, Now);

        Assert.Equal(FundKind.Task, task.Fund!.Kind);
        Assert.Equal(DevopsTaskStatus.Proposed, task.Status);
    }

    [Theory]
    [InlineData(DevopsTaskStatus.Proposed, DevopsTaskStatus.Open, true)]
    [InlineData(DevopsTaskStatus.Open, DevopsTaskStatus.InProgress, true)]
    [InlineData(DevopsTaskStatus.InProgress, DevopsTaskStatus.Done, true)]
    [InlineData(DevopsTaskStatus.Open, DevopsTaskStatus.Cancelled, true)]
    [InlineData(DevopsTaskStatus.Proposed, DevopsTaskStatus.Done, false)]
    [InlineData(DevopsTaskStatus.Done, DevopsTaskStatus.Open, false)]
    [InlineData(DevopsTaskStatus.Cancelled, DevopsTaskStatus.Open, false)]
    public void Tasks_move_only_along_their_lifecycle(DevopsTaskStatus from, DevopsTaskStatus to, bool allowed)
    {
        Assert.Equal(allowed, DevopsTask.CanMove(from, to));
    }

    [Fact]
    public void Moving_a_task_records_its_history_and_refuses_a_wrong_move()
    {
        var task = DevopsTask.Propose("LLVM timeouts", "llvm-timeouts", "", new Money(100, "USD"), Hours.Zero, null, Now);

        task.MoveTo(DevopsTaskStatus.Open, "reviewer", Now);
        var wrong = task.MoveTo(DevopsTaskStatus.Proposed, "reviewer", Now);

        Assert.Equal(ProblemKind.Conflict, wrong.Problem!.Kind);
        Assert.Equal((DevopsTaskStatus.Proposed, DevopsTaskStatus.Open), (task.History.Single().From, task.History.Single().To));
    }

    [Fact]
    public void An_expense_is_approved_by_someone_other_than_who_submitted_it()
    {
        var expense = Expense.Submit(1, "CircleCI", "Credits", ExpenseCategory.CiCredits, new Money(300_000, "USD"), new DateOnly(2026, 2, 1), "alice", Now);

        Assert.Equal(ProblemKind.Forbidden, expense.Approve("alice", Now).Problem!.Kind);
        Assert.Equal(ProblemKind.Conflict, expense.MarkPaid("bob", Now).Problem!.Kind);
        Assert.True(expense.Approve("bob", Now).Succeeded);
        Assert.True(expense.MarkPaid("bob", Now).Succeeded);
    }

    [Fact]
    public void A_ledger_correction_reverses_the_original_exactly()
    {
        var entry = LedgerEntry.Book(new LedgerPosting(1, LedgerEntryKind.Contribution, new Money(10_800, "USD"), new Money(10_000, "EUR"), 1.08m,
            "Invoice 42", Now, Now, "reviewer"));

        var reversal = entry.Reverse("Booked twice", "reviewer", Now);

        Assert.Equal(0, entry.AmountMinor + reversal.AmountMinor);
        Assert.Equal(0, entry.OriginalAmountMinor + reversal.OriginalAmountMinor);
        Assert.Equal(LedgerEntryKind.Reversal, reversal.Kind);
    }

    [Fact]
    public void Hours_are_exact_minutes()
    {
        Assert.Equal(90, Hours.FromHours(1.5m).Minutes);
        Assert.Equal("1.5 h", Hours.FromHours(1.5m).ToString());
    }
}

public class TaskEditTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    private static DevopsTask NewTask() =>
        DevopsTask.Propose("Windows build under 90 minutes", "windows-build", "", new Money(1_000_000, "USD"), Hours.FromHours(40), "owner", Now);

    [Fact]
    public void Editing_a_task_changes_its_terms_and_renames_its_fund()
    {
        var task = NewTask();

        var edited = task.Edit(" Windows build under 60 minutes ", "windows-60", "More **detail**", new Money(2_000_000, "EUR"), Hours.FromHours(80),
            new DateOnly(2026, 6, 30), "https://gitlab.example/1", "other");

        Assert.True(edited.Succeeded);
        Assert.Equal(("Windows build under 60 minutes", "windows-60", "other"), (task.Title, task.Slug, task.OwnerUserId));
        Assert.Equal((new Money(2_000_000, "EUR"), Hours.FromHours(80)), (task.MoneyGoal, task.HoursGoal));
        Assert.Equal("Windows build under 60 minutes", task.Fund!.Name);
    }

    [Theory]
    [InlineData(DevopsTaskStatus.Done)]
    [InlineData(DevopsTaskStatus.Cancelled)]
    public void A_closed_task_is_not_edited(DevopsTaskStatus closed)
    {
        var task = NewTask();
        task.MoveTo(DevopsTaskStatus.Open, "r", Now);
        if (closed == DevopsTaskStatus.Done)
        {
            task.MoveTo(DevopsTaskStatus.InProgress, "r", Now);
        }
        task.MoveTo(closed, "r", Now);

        var edited = task.Edit("New title", "new-title", "", new Money(1, "USD"), Hours.Zero, null, null, "owner");

        Assert.Equal(ProblemKind.Conflict, edited.Problem!.Kind);
        Assert.Equal("Windows build under 90 minutes", task.Fund!.Name);
    }

    [Fact]
    public void An_empty_or_too_long_title_and_negative_goals_are_refused_and_change_nothing()
    {
        var task = NewTask();

        Assert.Equal("title", task.Edit(" ", "s", "", new Money(1, "USD"), Hours.Zero, null, null, null).Problem!.Field);
        Assert.Equal("title", task.Edit(new string('x', DevopsTask.TitleMaxLength + 1), "s", "", new Money(1, "USD"), Hours.Zero, null, null, null).Problem!.Field);
        Assert.Equal("moneyGoal", task.Edit("t", "s", "", new Money(-1, "USD"), Hours.Zero, null, null, null).Problem!.Field);
        Assert.Equal("hoursGoal", task.Edit("t", "s", "", new Money(1, "USD"), new Hours(-1), null, null, null).Problem!.Field);
        Assert.Equal(("Windows build under 90 minutes", "windows-build"), (task.Title, task.Slug));
    }
}
