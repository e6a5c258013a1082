using System;
using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using Microsoft.EntityFrameworkCore.Migrations;
using static FundingPortal.Core.Data.RollupRules;

#nullable disable

namespace FundingPortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FundingRollups : Migration
    {
        // The roll-ups are kept by triggers, in the statement that changes the row, so no code path can change the ledger, an
        // installment, a time entry or a pledge and leave the figures behind (ADR 0009). Each trigger takes the old row's share away
        // and adds the new row's. Dates are stored as text here: the month of '2026-11-28 17:15:44.123' is '2026-11-01'.
        private static string Month(string date) => $"substr({date}, 1, 7) || '-01'";

        private static string LedgerEntry(string row) => $"""
            INSERT INTO "LedgerMonths" ("FundId", "Month", "Kind", "OfKind", "InMinor", "OutMinor", "Entries")
            VALUES ({row}."FundId", {Month($"{row}.\"OccurredAt\"")}, {row}."Kind",
                    CASE WHEN {row}."Kind" = {Sql(LedgerEntryKind.Reversal)}
                         THEN coalesce((SELECT r."Kind" FROM "LedgerEntries" r WHERE r."Id" = {row}."ReversesEntryId"), {row}."Kind")
                         ELSE {row}."Kind" END,
                    max({row}."AmountMinor", 0), max(-{row}."AmountMinor", 0), 1)
            ON CONFLICT ("FundId", "Month", "Kind", "OfKind") DO UPDATE
            SET "InMinor" = "InMinor" + excluded."InMinor", "OutMinor" = "OutMinor" + excluded."OutMinor", "Entries" = "Entries" + 1;

            INSERT INTO "SponsorMonths" ("OrganisationId", "Month", "GivenMinor", "Entries")
            SELECT {row}."CounterpartyOrganisationId", {Month($"{row}.\"OccurredAt\"")}, {row}."AmountMinor", 1
            WHERE {row}."CounterpartyOrganisationId" IS NOT NULL AND {row}."Kind" IN {Sql(RollupRules.SponsorMoney)}
            ON CONFLICT ("OrganisationId", "Month") DO UPDATE
            SET "GivenMinor" = "GivenMinor" + excluded."GivenMinor", "Entries" = "Entries" + 1;
            """;

        private static string Installment(string row, int sign) => $"""
            INSERT INTO "InstallmentTotals" ("FundId", "PledgeKind", "PledgeStatus", "Status", "Currency", "Installments", "OutstandingMinor", "HoursDueMinutes")
            SELECT p."FundId", p."Kind", p."Status", {row}."Status", {row}."Currency", {sign},
                   {sign} * max({row}."AmountDueMinor" - {row}."AmountReceivedMinor", 0), {sign} * {row}."HoursDueMinutes"
            FROM "Pledges" p WHERE p."Id" = {row}."PledgeId"
            ON CONFLICT ("FundId", "PledgeKind", "PledgeStatus", "Status", "Currency") DO UPDATE
            SET "Installments" = "Installments" + excluded."Installments", "OutstandingMinor" = "OutstandingMinor" + excluded."OutstandingMinor",
                "HoursDueMinutes" = "HoursDueMinutes" + excluded."HoursDueMinutes";

            INSERT INTO "HonouredMonths" ("OrganisationId", "Month", "Installments", "RateSum")
            SELECT p."OrganisationId", {Month($"{row}.\"DueDate\"")}, {sign}, {sign} * {Rate(row)}
            FROM "Pledges" p
            WHERE p."Id" = {row}."PledgeId" AND {row}."Status" NOT IN {Sql(RollupRules.OutsideHonouredRate)} AND ({row}."HoursDueMinutes" > 0 OR {row}."AmountDueMinor" > 0)
            ON CONFLICT ("OrganisationId", "Month") DO UPDATE
            SET "Installments" = "Installments" + excluded."Installments", "RateSum" = "RateSum" + excluded."RateSum";
            """;

        // The share of an installment delivered, capped at one (HonouredRates in the portal).
        private static string Rate(string row) => $"""
            (CASE WHEN {row}."HoursDueMinutes" > 0 THEN min(1.0, CAST({row}."HoursDeliveredMinutes" AS REAL) / {row}."HoursDueMinutes")
                  ELSE min(1.0, CAST({row}."AmountReceivedMinor" AS REAL) / {row}."AmountDueMinor") END)
            """;

        private static string TimeEntry(string row, int sign) => $"""
            INSERT INTO "TimeTotals" ("FundId", "OrganisationId", "ConfirmedMinutes", "Entries")
            SELECT p."FundId", p."OrganisationId", {sign} * {row}."Minutes", {sign}
            FROM "Pledges" p WHERE p."Id" = {row}."PledgeId" AND {row}."Status" IN {Sql(RollupRules.DeliveredTime)}
            ON CONFLICT ("FundId", "OrganisationId") DO UPDATE
            SET "ConfirmedMinutes" = "ConfirmedMinutes" + excluded."ConfirmedMinutes", "Entries" = "Entries" + excluded."Entries";
            """;

        // A pledge that changes fund, kind or status takes its installments and confirmed time with it.
        private static string Pledge(string row, int sign) => $"""
            INSERT INTO "InstallmentTotals" ("FundId", "PledgeKind", "PledgeStatus", "Status", "Currency", "Installments", "OutstandingMinor", "HoursDueMinutes")
            SELECT {row}."FundId", {row}."Kind", {row}."Status", i."Status", i."Currency", {sign} * count(*),
                   {sign} * sum(max(i."AmountDueMinor" - i."AmountReceivedMinor", 0)), {sign} * sum(i."HoursDueMinutes")
            FROM "Installments" i WHERE i."PledgeId" = {row}."Id"
            GROUP BY i."Status", i."Currency"
            ON CONFLICT ("FundId", "PledgeKind", "PledgeStatus", "Status", "Currency") DO UPDATE
            SET "Installments" = "Installments" + excluded."Installments", "OutstandingMinor" = "OutstandingMinor" + excluded."OutstandingMinor",
                "HoursDueMinutes" = "HoursDueMinutes" + excluded."HoursDueMinutes";

            INSERT INTO "TimeTotals" ("FundId", "OrganisationId", "ConfirmedMinutes", "Entries")
            SELECT {row}."FundId", {row}."OrganisationId", {sign} * sum(t."Minutes"), {sign} * count(*)
            FROM "TimeEntries" t WHERE t."PledgeId" = {row}."Id" AND t."Status" IN {Sql(RollupRules.DeliveredTime)}
            GROUP BY t."PledgeId"
            ON CONFLICT ("FundId", "OrganisationId") DO UPDATE
            SET "ConfirmedMinutes" = "ConfirmedMinutes" + excluded."ConfirmedMinutes", "Entries" = "Entries" + excluded."Entries";
            """;

        private const string InstallmentColumns = "\"PledgeId\", \"Status\", \"Currency\", \"DueDate\", \"AmountDueMinor\", \"AmountReceivedMinor\", \"HoursDueMinutes\", \"HoursDeliveredMinutes\"";

        internal static readonly string[] CreateTriggers =
        [
            $"""CREATE TRIGGER "LedgerEntries_RollUp" AFTER INSERT ON "LedgerEntries" BEGIN {LedgerEntry("NEW")} END;""",
            $"""CREATE TRIGGER "Installments_RollUp_Insert" AFTER INSERT ON "Installments" BEGIN {Installment("NEW", 1)} END;""",
            $"""CREATE TRIGGER "Installments_RollUp_Update" AFTER UPDATE OF {InstallmentColumns} ON "Installments" BEGIN {Installment("OLD", -1)} {Installment("NEW", 1)} END;""",
            $"""CREATE TRIGGER "Installments_RollUp_Delete" AFTER DELETE ON "Installments" BEGIN {Installment("OLD", -1)} END;""",
            $"""CREATE TRIGGER "TimeEntries_RollUp_Insert" AFTER INSERT ON "TimeEntries" BEGIN {TimeEntry("NEW", 1)} END;""",
            $"""CREATE TRIGGER "TimeEntries_RollUp_Update" AFTER UPDATE OF "PledgeId", "Status", "Minutes" ON "TimeEntries" BEGIN {TimeEntry("OLD", -1)} {TimeEntry("NEW", 1)} END;""",
            $"""CREATE TRIGGER "TimeEntries_RollUp_Delete" AFTER DELETE ON "TimeEntries" BEGIN {TimeEntry("OLD", -1)} END;""",
            $"""
            CREATE TRIGGER "Pledges_RollUp" AFTER UPDATE OF "FundId", "Kind", "Status" ON "Pledges"
            WHEN OLD."FundId" <> NEW."FundId" OR OLD."Kind" <> NEW."Kind" OR OLD."Status" <> NEW."Status"
            BEGIN {Pledge("OLD", -1)} {Pledge("NEW", 1)} END;
            """,
        ];

        private static readonly string[] DropTriggers =
            ["LedgerEntries_RollUp", "Installments_RollUp_Insert", "Installments_RollUp_Update", "Installments_RollUp_Delete",
             "TimeEntries_RollUp_Insert", "TimeEntries_RollUp_Update", "TimeEntries_RollUp_Delete", "Pledges_RollUp"];

        // The rows there before this migration, summed the same way.
        internal static readonly string LedgerBackfill = $"""
            INSERT INTO "LedgerMonths" ("FundId", "Month", "Kind", "OfKind", "InMinor", "OutMinor", "Entries")
            SELECT e."FundId", {Month("e.\"OccurredAt\"")}, e."Kind", CASE WHEN e."Kind" = {Sql(LedgerEntryKind.Reversal)} THEN coalesce(r."Kind", e."Kind") ELSE e."Kind" END,
                   sum(max(e."AmountMinor", 0)), sum(max(-e."AmountMinor", 0)), count(*)
            FROM "LedgerEntries" e LEFT JOIN "LedgerEntries" r ON r."Id" = e."ReversesEntryId"
            GROUP BY 1, 2, 3, 4;

            INSERT INTO "SponsorMonths" ("OrganisationId", "Month", "GivenMinor", "Entries")
            SELECT e."CounterpartyOrganisationId", {Month("e.\"OccurredAt\"")}, sum(e."AmountMinor"), count(*)
            FROM "LedgerEntries" e
            WHERE e."CounterpartyOrganisationId" IS NOT NULL AND e."Kind" IN {Sql(RollupRules.SponsorMoney)}
            GROUP BY 1, 2;

            """;

        private static readonly string Backfill = LedgerBackfill + $"""
            INSERT INTO "InstallmentTotals" ("FundId", "PledgeKind", "PledgeStatus", "Status", "Currency", "Installments", "OutstandingMinor", "HoursDueMinutes")
            SELECT p."FundId", p."Kind", p."Status", i."Status", i."Currency", count(*), sum(max(i."AmountDueMinor" - i."AmountReceivedMinor", 0)), sum(i."HoursDueMinutes")
            FROM "Installments" i JOIN "Pledges" p ON p."Id" = i."PledgeId"
            GROUP BY 1, 2, 3, 4, 5;

            INSERT INTO "HonouredMonths" ("OrganisationId", "Month", "Installments", "RateSum")
            SELECT p."OrganisationId", {Month("i.\"DueDate\"")}, count(*), sum({Rate("i")})
            FROM "Installments" i JOIN "Pledges" p ON p."Id" = i."PledgeId"
            WHERE i."Status" NOT IN {Sql(RollupRules.OutsideHonouredRate)} AND (i."HoursDueMinutes" > 0 OR i."AmountDueMinor" > 0)
            GROUP BY 1, 2;

            INSERT INTO "TimeTotals" ("FundId", "OrganisationId", "ConfirmedMinutes", "Entries")
            SELECT p."FundId", p."OrganisationId", sum(t."Minutes"), count(*)
            FROM "TimeEntries" t JOIN "Pledges" p ON p."Id" = t."PledgeId"
            WHERE t."Status" IN {Sql(RollupRules.DeliveredTime)}
            GROUP BY 1, 2;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HonouredMonths",
                columns: table => new
                {
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Installments = table.Column<long>(type: "INTEGER", nullable: false),
                    RateSum = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HonouredMonths", x => new { x.OrganisationId, x.Month });
                    table.ForeignKey(
                        name: "FK_HonouredMonths_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InstallmentTotals",
                columns: table => new
                {
                    FundId = table.Column<int>(type: "INTEGER", nullable: false),
                    PledgeKind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PledgeStatus = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Installments = table.Column<long>(type: "INTEGER", nullable: false),
                    OutstandingMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    HoursDueMinutes = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InstallmentTotals", x => new { x.FundId, x.PledgeKind, x.PledgeStatus, x.Status, x.Currency });
                    table.ForeignKey(
                        name: "FK_InstallmentTotals_Funds_FundId",
                        column: x => x.FundId,
                        principalTable: "Funds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LedgerMonths",
                columns: table => new
                {
                    FundId = table.Column<int>(type: "INTEGER", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    OfKind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    InMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    OutMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Entries = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerMonths", x => new { x.FundId, x.Month, x.Kind, x.OfKind });
                    table.ForeignKey(
                        name: "FK_LedgerMonths_Funds_FundId",
                        column: x => x.FundId,
                        principalTable: "Funds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SponsorMonths",
                columns: table => new
                {
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    GivenMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Entries = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SponsorMonths", x => new { x.OrganisationId, x.Month });
                    table.ForeignKey(
                        name: "FK_SponsorMonths_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TimeTotals",
                columns: table => new
                {
                    FundId = table.Column<int>(type: "INTEGER", nullable: false),
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    ConfirmedMinutes = table.Column<long>(type: "INTEGER", nullable: false),
                    Entries = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TimeTotals", x => new { x.FundId, x.OrganisationId });
                    table.ForeignKey(
                        name: "FK_TimeTotals_Funds_FundId",
                        column: x => x.FundId,
                        principalTable: "Funds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TimeTotals_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Pledges_Kind_Status_Frequency_Currency_AmountMinor",
                table: "Pledges",
                columns: new[] { "Kind", "Status", "Frequency", "Currency", "AmountMinor" });

            migrationBuilder.CreateIndex(
                name: "IX_Installments_DueDate_Status_PledgeId_HoursDueMinutes_HoursDeliveredMinutes_AmountDueMinor_AmountReceivedMinor",
                table: "Installments",
                columns: new[] { "DueDate", "Status", "PledgeId", "HoursDueMinutes", "HoursDeliveredMinutes", "AmountDueMinor", "AmountReceivedMinor" });

            migrationBuilder.CreateIndex(
                name: "IX_HonouredMonths_Month",
                table: "HonouredMonths",
                column: "Month");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerMonths_Month",
                table: "LedgerMonths",
                column: "Month");

            migrationBuilder.CreateIndex(
                name: "IX_SponsorMonths_Month",
                table: "SponsorMonths",
                column: "Month");

            migrationBuilder.CreateIndex(
                name: "IX_TimeTotals_OrganisationId",
                table: "TimeTotals",
                column: "OrganisationId");

            migrationBuilder.Sql(Backfill);
            foreach (var trigger in CreateTriggers)
            {
                migrationBuilder.Sql(trigger);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in DropTriggers)
            {
                migrationBuilder.Sql($"DROP TRIGGER \"{trigger}\";");
            }

            migrationBuilder.DropTable(
                name: "HonouredMonths");

            migrationBuilder.DropTable(
                name: "InstallmentTotals");

            migrationBuilder.DropTable(
                name: "LedgerMonths");

            migrationBuilder.DropTable(
                name: "SponsorMonths");

            migrationBuilder.DropTable(
                name: "TimeTotals");

            migrationBuilder.DropIndex(
                name: "IX_Pledges_Kind_Status_Frequency_Currency_AmountMinor",
                table: "Pledges");

            migrationBuilder.DropIndex(
                name: "IX_Installments_DueDate_Status_PledgeId_HoursDueMinutes_HoursDeliveredMinutes_AmountDueMinor_AmountReceivedMinor",
                table: "Installments");
        }
    }
}
