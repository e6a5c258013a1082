namespace FundingPortal.Core.Data.Configurations;

internal sealed class ImportRejectionConfiguration : IEntityTypeConfiguration<ImportRejection>
{
    public void Configure(EntityTypeBuilder<ImportRejection> builder) => builder.Property(r => r.Reason).HasMaxLength(1000);
}
