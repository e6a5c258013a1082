using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Tasks;

using Microsoft.EntityFrameworkCore;

using static FundingPortal.IntegrationTests.Infrastructure.Devops;

namespace FundingPortal.IntegrationTests.Tasks;

[Collection(PortalTests.Name)]
public class TaskTests(PortalFactory portal)
{
    private Task<Result<int>> ProposeAsync(TestUser user, TaskInput input) =>
        portal.WithScopeAsync<SaveTask, Result<int>>(save => save.ProposeAsync(input, user.Id));

    [Fact]
    public async Task The_task_list_reads_open_in_progress_proposed_done_cancelled_then_by_title()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var tag = Guid.NewGuid().ToString("N")[..8];
        await portal.Given().TaskFundAsync($"{tag} A cancelled", DevopsTaskStatus.Cancelled, reviewer);
        await portal.Given().TaskFundAsync($"{tag} B open", DevopsTaskStatus.Open, reviewer);
        await portal.Given().TaskFundAsync($"{tag} C proposed", DevopsTaskStatus.Proposed, reviewer);
        await portal.Given().TaskFundAsync($"{tag} A open", DevopsTaskStatus.Open, reviewer);
        var started = await portal.Given().TaskFundAsync($"{tag} Z in progress", DevopsTaskStatus.Open, reviewer);
        var done = await portal.Given().TaskFundAsync($"{tag} Y done", DevopsTaskStatus.Open, reviewer);
        await using (var db = portal.NewDbContext())
        {
            var now = DateTime.UtcNow;
            (await db.Tasks.SingleAsync(t => t.Id == started.TaskId)).MoveTo(DevopsTaskStatus.InProgress, reviewer.Id, now);
            var finished = await db.Tasks.SingleAsync(t => t.Id == done.TaskId);
            finished.MoveTo(DevopsTaskStatus.InProgress, reviewer.Id, now);
            finished.MoveTo(DevopsTaskStatus.Done, reviewer.Id, now);
            await db.SaveChangesAsync();
        }

        var list = await portal.WithScopeAsync<GetTasks, Result<IReadOnlyList<TaskRow>>>(g => g.ListAsync(reviewer.Id));

        Assert.Equal([$"{tag} A open", $"{tag} B open", $"{tag} Z in progress", $"{tag} C proposed", $"{tag} Y done", $"{tag} A cancelled"],
            list.Value!.Where(t => t.Title.StartsWith(tag, StringComparison.Ordinal)).Select(t => t.Title));
    }

    [Fact]
    public async Task A_reviewer_proposes_a_task_with_its_own_fund_and_an_audit_event()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var input = Devops.NewTaskInput(reviewer.Id);
        input.DueDate = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Unspecified);

        var created = await ProposeAsync(reviewer, input);

        Assert.True(created.Succeeded, created.Problem?.Message);
        await using var db = portal.NewDbContext();
        var task = await db.Tasks.Include(t => t.Fund).SingleAsync(t => t.Id == created.Value);
        Assert.Equal((DevopsTaskStatus.Proposed, 500_000L, "USD", 40 * 60L), (task.Status, task.MoneyGoalMinor, task.Currency, task.HoursGoalMinutes));
        Assert.Equal((new DateOnly(2027, 1, 31), "https://gitlab.example/ghc/issues/1", reviewer.Id), (task.DueDate, task.IssueUrl, task.OwnerUserId));
        Assert.Equal((FundKind.Task, input.Title), (task.Fund!.Kind, task.Fund.Name));
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "task.proposed" && a.EntityId == Key(created.Value) && a.UserId == reviewer.Id));
    }

    [Theory]
    [InlineData(nameof(TaskInput.MoneyGoal), "0")]
    [InlineData(nameof(TaskInput.MoneyGoal), "-5")]
    [InlineData(nameof(TaskInput.MoneyGoal), "10.001")]
    [InlineData(nameof(TaskInput.MoneyGoal), "100000000000000")]
    [InlineData(nameof(TaskInput.IssueUrl), "javascript:alert(1)")]
    [InlineData(nameof(TaskInput.IssueUrl), "ftp://example.com/x")]
    [InlineData(nameof(TaskInput.Slug), "Not A Slug")]
    [InlineData(nameof(TaskInput.HoursGoal), "-1")]
    [InlineData(nameof(TaskInput.Title), "")]
    public async Task Bad_input_is_refused_on_its_field_and_nothing_is_saved(string field, string value)
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var input = Devops.NewTaskInput(reviewer.Id);
        typeof(TaskInput).GetProperty(field)!.SetValue(input, value);

        var result = await ProposeAsync(reviewer, input);

        Assert.Equal((ProblemKind.Invalid, field), (result.Problem!.Kind, result.Problem.Field));
        await using var db = portal.NewDbContext();
        Assert.False(await db.Tasks.AnyAsync(t => t.OwnerUserId == reviewer.Id));
    }

    [Fact]
    public async Task Yen_goals_refuse_decimals()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var input = Devops.NewTaskInput(reviewer.Id);
        (input.MoneyGoal, input.Currency) = ("100.5", "JPY");

        var result = await ProposeAsync(reviewer, input);

        Assert.Equal(nameof(TaskInput.MoneyGoal), result.Problem!.Field);
        Assert.Contains("JPY", result.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slug_already_taken_is_refused()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var slug = Devops.UniqueSlug();
        Assert.True((await ProposeAsync(reviewer, Devops.NewTaskInput(reviewer.Id, slug))).Succeeded);

        var again = await ProposeAsync(reviewer, Devops.NewTaskInput(reviewer.Id, slug, "Another title"));

        Assert.Equal(nameof(TaskInput.Slug), again.Problem!.Field);
        await using var db = portal.NewDbContext();
        Assert.Equal(1, await db.Tasks.CountAsync(t => t.Slug == slug));
    }

    [Fact]
    public async Task The_owner_must_be_a_reviewer()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var sponsor = await portal.CreateUserAsync();

        var result = await ProposeAsync(reviewer, Devops.NewTaskInput(sponsor.Id));

        Assert.Equal(nameof(TaskInput.OwnerUserId), result.Problem!.Field);
    }

    [Fact]
    public async Task A_sponsor_cannot_propose_edit_move_or_read_tasks()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var sponsor = await portal.CreateUserAsync();
        var (taskId, _) = await portal.ProposeTaskAsync(reviewer);
        var slug = Devops.UniqueSlug();

        var proposed = await ProposeAsync(sponsor, Devops.NewTaskInput(reviewer.Id, slug));
        var edited = await portal.WithScopeAsync<SaveTask, Result<int>>(s => s.UpdateAsync(taskId, Devops.NewTaskInput(reviewer.Id, title: "Hijacked"), sponsor.Id));
        var moved = await portal.WithScopeAsync<SaveTask, Result<DevopsTaskStatus>>(s => s.MoveAsync(taskId, DevopsTaskStatus.Open, sponsor.Id));
        var list = await portal.WithScopeAsync<GetTasks, Result<IReadOnlyList<TaskRow>>>(g => g.ListAsync(sponsor.Id));
        var details = await portal.WithScopeAsync<GetTasks, Result<TaskDetails>>(g => g.DetailsAsync(taskId, sponsor.Id));

        Assert.All(new[] { proposed.Problem, edited.Problem, moved.Problem, list.Problem, details.Problem }, p => Assert.Equal(ProblemKind.Forbidden, p!.Kind));
        await using var db = portal.NewDbContext();
        var task = await db.Tasks.SingleAsync(t => t.Id == taskId);
        Assert.Equal((DevopsTaskStatus.Proposed, "Windows build under 90 minutes"), (task.Status, task.Title));
        Assert.False(await db.Tasks.AnyAsync(t => t.Slug == slug));
    }

    [Fact]
    public async Task A_task_moves_through_its_states_each_move_audited_and_a_wrong_move_refused()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var (taskId, _) = await portal.ProposeTaskAsync(reviewer);
        Task<Result<DevopsTaskStatus>> Move(DevopsTaskStatus to) => portal.WithScopeAsync<SaveTask, Result<DevopsTaskStatus>>(s => s.MoveAsync(taskId, to, reviewer.Id));

        var wrong = await Move(DevopsTaskStatus.Done);
        Assert.Equal(ProblemKind.Conflict, wrong.Problem!.Kind);
        Assert.True((await Move(DevopsTaskStatus.Open)).Succeeded);
        var offered = await portal.WithScopeAsync<GetTasks, Result<TaskDetails>>(g => g.DetailsAsync(taskId, reviewer.Id));
        Assert.Equal([DevopsTaskStatus.InProgress, DevopsTaskStatus.Cancelled], offered.Value!.NextStates);
        Assert.True((await Move(DevopsTaskStatus.InProgress)).Succeeded);
        Assert.True((await Move(DevopsTaskStatus.Done)).Succeeded);

        await using var db = portal.NewDbContext();
        Assert.Equal(DevopsTaskStatus.Done, (await db.Tasks.SingleAsync(t => t.Id == taskId)).Status);
        Assert.Equal(3, await db.TaskStatusChanges.CountAsync(c => c.TaskId == taskId));
        Assert.Equal(3, await db.AuditEvents.CountAsync(a => a.Action == "task.moved" && a.EntityId == Key(taskId)));
        var edit = await portal.WithScopeAsync<SaveTask, Result<int>>(s => s.UpdateAsync(taskId, Devops.NewTaskInput(reviewer.Id), reviewer.Id));
        Assert.Equal(ProblemKind.Conflict, edit.Problem!.Kind);
    }

    [Fact]
    public async Task Editing_a_task_renames_its_fund_and_is_audited_with_before_and_after()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var (taskId, fundId) = await portal.ProposeTaskAsync(reviewer);
        var input = Devops.NewTaskInput(reviewer.Id, title: "Windows build under 60 minutes");
        input.MoneyGoal = "7500.50";

        var saved = await portal.WithScopeAsync<SaveTask, Result<int>>(s => s.UpdateAsync(taskId, input, reviewer.Id));

        Assert.True(saved.Succeeded, saved.Problem?.Message);
        await using var db = portal.NewDbContext();
        Assert.Equal("Windows build under 60 minutes", (await db.Funds.SingleAsync(f => f.Id == fundId)).Name);
        Assert.Equal(750_050, (await db.Tasks.SingleAsync(t => t.Id == taskId)).MoneyGoalMinor);
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == "task.updated" && a.EntityId == Key(taskId));
        Assert.Contains("90 minutes", audit.Before, StringComparison.Ordinal);
        Assert.Contains("60 minutes", audit.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_description_is_rendered_without_scripts_event_handlers_or_javascript_links()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var input = Devops.NewTaskInput(reviewer.Id);
        input.Description = "# Plan\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) and **bold**";
        var id = (await ProposeAsync(reviewer, input)).Value;

        var details = await portal.WithScopeAsync<GetTasks, Result<TaskDetails>>(g => g.DetailsAsync(id, reviewer.Id));

        var html = details.Value!.DescriptionHtml;
        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Funding_counts_received_money_open_commitments_and_hours_delivered_against_pledged()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var other = await portal.CreateUserAsync(Roles.Reviewer);
        var (taskId, fundId) = await portal.ProposeTaskAsync(reviewer);
        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(now);
        await using (var db = portal.NewDbContext())
        {
            var organisation = Organisation.Create(new OrganisationProfile("Funding Co", Devops.UniqueSlug("org"), null, null, "pay@funding.example",
                PublicListing.ByName), reviewer.Id, now);
            db.Organisations.Add(organisation);
            await db.SaveChangesAsync();
            // Money: 3 × 1000 USD monthly, the first month partly paid (400) → 2600 USD still committed; one EUR pledge of 500.
            var money = Pledge.SubmitMoney(organisation.Id, fundId, new Money(100_000, "USD"), new PledgeSchedule(PledgeFrequency.Monthly, today, null, 3),
                PaymentMethod.Invoice, PaymentTiming.Now, reviewer.Id, now);
            money.Accept(other.Id, "ok", now);
            money.Installments[0].RecordReceived(new Money(40_000, "USD"));
            var euros = Pledge.SubmitMoney(organisation.Id, fundId, new Money(50_000, "EUR"), new PledgeSchedule(PledgeFrequency.OneOff, today, null, 1),
                PaymentMethod.Invoice, PaymentTiming.Now, reviewer.Id, now);
            euros.Accept(other.Id, "ok", now);
            // A declined pledge commits nothing.
            var declined = Pledge.SubmitMoney(organisation.Id, fundId, new Money(900_000, "USD"), new PledgeSchedule(PledgeFrequency.OneOff, today, null, 1),
                PaymentMethod.Invoice, PaymentTiming.Now, reviewer.Id, now);
            declined.Decline(other.Id, "no", now);
            // Time: 10 h × 2 months pledged; 3 h confirmed, 5 h only logged.
            var time = Pledge.SubmitEngineerTime(organisation.Id, fundId, Hours.FromHours(10), new PledgeSchedule(PledgeFrequency.Monthly, today.AddDays(-1), null, 2),
                "Eve", new Money(10_000, "USD"), reviewer.Id, now);
            time.Accept(other.Id, "ok", now);
            db.Pledges.AddRange(money, euros, declined, time);
            await db.SaveChangesAsync();
            var confirmed = TimeEntry.Log(time, today, "Eve", Hours.FromHours(3), "CI fixes", reviewer.Id, today, now).Value!;
            var pending = TimeEntry.Log(time, today, "Eve", Hours.FromHours(5), "More", reviewer.Id, today, now).Value!;
            db.TimeEntries.AddRange(confirmed, pending);
            confirmed.Confirm(time.Installments.Single(i => i.Id == confirmed.InstallmentId), other.Id, now);
            await db.SaveChangesAsync();
        }
        var contribution = await portal.ContributeAsync(fundId, 40_000);
        await using (var db = portal.NewDbContext())
        {
            // A fee and a transfer are not money received for the task.
            var at = DateTime.UtcNow;
            db.LedgerEntries.Add(LedgerEntry.Book(new LedgerPosting(fundId, LedgerEntryKind.Fee, new Money(-1_000, "USD"), new Money(-1_000, "USD"), 1m, "fee", at, at, null)));
            await db.SaveChangesAsync();
        }

        var details = await portal.WithScopeAsync<GetTasks, Result<TaskDetails>>(g => g.DetailsAsync(taskId, reviewer.Id));

        var funding = details.Value!.Funding;
        Assert.Equal(new Money(40_000, "USD"), funding.Received);
        Assert.Equal([new Money(50_000, "EUR"), new Money(260_000, "USD")], funding.Committed);
        Assert.Equal((Hours.FromHours(3), Hours.FromHours(20)), (funding.HoursDelivered, funding.HoursPledged));
        Assert.Equal(8, funding.ReceivedPercent, 3);
        Assert.Equal(52, funding.CommittedPercent, 3);
        Assert.True(contribution > 0);
        var list = await portal.WithScopeAsync<GetTasks, Result<IReadOnlyList<TaskRow>>>(g => g.ListAsync(reviewer.Id));
        var row = list.Value!.Single(t => t.Id == taskId).Funding;
        Assert.Equal((funding.Received, funding.HoursDelivered, funding.HoursPledged), (row.Received, row.HoursDelivered, row.HoursPledged));
        Assert.Equal(funding.Committed, row.Committed);
    }

    [Fact]
    public async Task Open_for_pledges_lists_the_central_fund_first_and_only_tasks_that_accept_pledges()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var (open, openFund) = await portal.ProposeTaskAsync(reviewer, "Open task");
        var (cancelled, _) = await portal.ProposeTaskAsync(reviewer, "Cancelled task");
        await portal.WithScopeAsync<SaveTask, Result<DevopsTaskStatus>>(s => s.MoveAsync(cancelled, DevopsTaskStatus.Cancelled, reviewer.Id));

        var targets = await portal.WithScopeAsync<GetTasks, IReadOnlyList<PledgeTarget>>(g => g.OpenForPledgesAsync());

        Assert.Null(targets[0].TaskId);
        Assert.Contains(targets, t => t.TaskId == open && t.FundId == openFund && t.Status == DevopsTaskStatus.Proposed);
        Assert.DoesNotContain(targets, t => t.TaskId == cancelled);
    }
}
