using System.Security.Claims;

namespace FundingPortal.Web.Features.Expenses;

public static class ExpensesModule
{
    public static IHostApplicationBuilder AddExpenses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReceiptFiles>();
        return builder.AddHandlers(typeof(SubmitExpense), typeof(ReviewExpense), typeof(GetExpenses));
    }

    public static WebApplication MapExpenseEndpoints(this WebApplication app)
    {
        app.MapGet("/devops/expenses/{id:int}/receipt", DownloadReceiptAsync)
            .RequireAuthorization(Policies.Reviewer)
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>A receipt for reviewers only, always as a download (never shown inline, so a crafted file cannot run in the portal's origin).</summary>
    private static async Task<IResult> DownloadReceiptAsync(int id, ClaimsPrincipal user, GetExpenses expenses, CancellationToken cancellationToken) =>
        (await expenses.ReceiptAsync(id, user.RequiredUserId(), cancellationToken))
            .ToHttpResult(receipt => TypedResults.PhysicalFile(receipt.FullPath, receipt.ContentType, receipt.FileName));
}
