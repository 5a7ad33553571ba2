-- CreateEnum
CREATE TYPE "SnapshotMode" AS ENUM ('full', 'delta');

-- AlterTable
ALTER TABLE "alert" ALTER COLUMN "supplier_id" DROP NOT NULL;

-- AlterTable
ALTER TABLE "snapshot" ADD COLUMN     "cursor" TEXT,
ADD COLUMN     "decided_at" TIMESTAMPTZ(3),
ADD COLUMN     "decided_by" TEXT,
ADD COLUMN     "mode" "SnapshotMode" NOT NULL DEFAULT 'full',
ADD COLUMN     "truncated" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "source" ADD COLUMN     "cursor" TEXT,
ADD COLUMN     "guard" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "staged_entry" ADD COLUMN     "removed" BOOLEAN NOT NULL DEFAULT false;
