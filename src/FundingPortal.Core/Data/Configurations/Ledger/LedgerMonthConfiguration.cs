namespace FundingPortal.Core.Data.Configurations;

internal sealed class LedgerMonthConfiguration : IEntityTypeConfiguration<LedgerMonth>
{
    public void Configure(EntityTypeBuilder<LedgerMonth> builder)
    {
        builder.HasKey(m => new { m.FundId, m.Month, m.Kind, m.OfKind });
        builder.HasOne<Fund>().WithMany().HasForeignKey(m => m.FundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.Month);
    }
}
