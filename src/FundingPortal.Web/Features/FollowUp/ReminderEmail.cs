using System.Net;

using FundingPortal.Web.Infrastructure.Email;

namespace FundingPortal.Web.Features.FollowUp;

/// <summary>An installment that needs a reminder, with what the email says about it.</summary>
public sealed record DueInstallment(int Id, int PledgeId, int Sequence, DateOnly DueDate, PledgeKind Kind, string Currency,
    long OutstandingMinor, long OutstandingMinutes, string OrganisationName, string BillingEmail, string FundName);

/// <summary>The reminder an organisation's billing contact receives; names and descriptions are HTML-encoded.</summary>
public static class ReminderEmail
{
    /// <param name="replyTo">Where replies go (the <c>ReminderReplyTo</c> setting); without one the email asks for no reply.</param>
    public static OutgoingEmail For(DueInstallment due, int daysOverdue, string? replyTo = null)
    {
        var alreadyPaid = replyTo is null
            ? "If you have already paid, there is nothing more to do: payments are matched by their reference."
            : "If you have already paid, reply to this email with the date and your bank reference.";
        var when = daysOverdue == 0 ? "is due today" : daysOverdue == 1 ? "is 1 day overdue" : $"is {daysOverdue} days overdue";
        var dueOn = due.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var reference = $"PLEDGE-{due.PledgeId}-{due.Sequence}";
        var (what, todo) = due.Kind switch
        {
            PledgeKind.EngineerTime => ($"{Display.Hours(due.OutstandingMinutes)} of engineer time due on {dueOn} {Verb(when)}",
                "Ask your engineer to log the hours delivered on the pledge's Hours page in FundingPortal, so a reviewer can confirm them."),
            PledgeKind.Infrastructure => ($"Infrastructure worth {Display.Money(due.OutstandingMinor, due.Currency)} due on {dueOn} {when}",
                "Record what you delivered on the pledge's Deliveries page in FundingPortal, so a reviewer can confirm it."),
            _ => ($"Payment of {Display.Money(due.OutstandingMinor, due.Currency)} due on {dueOn} {when}",
                $"Please pay by bank transfer quoting the reference {reference}. {alreadyPaid}"),
        };
        var subject = $"{what} ({due.OrganisationName})";
        var body =
            $"<p>Hello {WebUtility.HtmlEncode(due.OrganisationName)},</p>" +
            $"<p><strong>{WebUtility.HtmlEncode(what)}</strong> — your pledge to {WebUtility.HtmlEncode(due.FundName)} (reference {reference}).</p>" +
            $"<p>{WebUtility.HtmlEncode(todo)}</p>" +
            "<p>Thank you for supporting the project's infrastructure.</p>";
        return new OutgoingEmail(due.BillingEmail, subject, body, replyTo);
    }

    // "10 hours … are overdue" reads better than "is".
    private static string Verb(string when) => when.StartsWith("is ", StringComparison.Ordinal) ? "are " + when[3..] : when;
}
