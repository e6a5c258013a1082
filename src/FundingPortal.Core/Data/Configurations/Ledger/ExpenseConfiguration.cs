namespace FundingPortal.Core.Data.Configurations;

internal sealed class ExpenseConfiguration : IEntityTypeConfiguration<Expense>
{
    public void Configure(EntityTypeBuilder<Expense> builder)
    {
        builder.Property(e => e.Currency).HasMaxLength(3);
        builder.Property(e => e.Vendor).HasMaxLength(200);
        builder.Property(e => e.Description).HasMaxLength(2000);
        builder.Property(e => e.RejectionReason).HasMaxLength(2000);
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.HasOne<Fund>().WithMany().HasForeignKey(e => e.FundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CiProvider>().WithMany().HasForeignKey(e => e.CiProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.Status, e.IncurredOn });
        builder.HasIndex(e => new { e.CiProviderId, e.BillingMonth });
        builder.Ignore(e => e.Amount);
    }
}
