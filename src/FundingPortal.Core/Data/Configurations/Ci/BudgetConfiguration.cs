namespace FundingPortal.Core.Data.Configurations;

internal sealed class BudgetConfiguration : IEntityTypeConfiguration<Budget>
{
    public void Configure(EntityTypeBuilder<Budget> builder)
    {
        builder.Property(b => b.Currency).HasMaxLength(3);
        builder.HasOne<CiProvider>().WithMany().HasForeignKey(b => b.ProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Fund>().WithMany().HasForeignKey(b => b.FundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(b => new { b.ProviderId, b.Month });
    }
}
