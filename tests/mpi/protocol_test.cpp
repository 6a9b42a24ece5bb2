// The reply message survives packing byte for byte: outcomes, the failure and its text.
#include "schedlab/mpi/protocol.hpp"

#include <gtest/gtest.h>

using namespace schedlab;

TEST(ProtocolReply, RoundTripsOutcomesAndFailure) {
  ChunkReply reply;
  reply.chunk = {6, 3};
  reply.outcomes = {{7, 0xDEADBEEF, 3, 1, 0.5, 0.75}, {6, 42, 2, 0, 0.25, 1.0}};
  reply.failed_task = 8;
  reply.failure_message = "injected failure (--fail-task)";
  reply.interrupt_signal = 15;
  const ChunkReply back = unpack_reply(pack_reply(reply));
  EXPECT_EQ(back.chunk.first, 6u);
  EXPECT_EQ(back.chunk.count, 3u);
  ASSERT_EQ(back.outcomes.size(), 2u);
  EXPECT_EQ(back.outcomes[0].task, 7u);
  EXPECT_EQ(back.outcomes[0].result, 0xDEADBEEFu);
  EXPECT_EQ(back.outcomes[0].worker, 3);
  EXPECT_EQ(back.outcomes[0].cpu, 1);
  EXPECT_DOUBLE_EQ(back.outcomes[0].end, 0.75);
  EXPECT_EQ(back.outcomes[1].task, 6u);
  EXPECT_EQ(back.failed_task, std::optional<std::size_t>(8));
  EXPECT_EQ(back.failure_message, reply.failure_message);
  EXPECT_EQ(back.interrupt_signal, 15);
}

TEST(ProtocolReply, AnEmptyReplyAnswersAChunkThatNeverRan) {
  const ChunkReply back = unpack_reply(pack_reply(ChunkReply{{4, 2}, {}, {}, {}, 0}));
  EXPECT_EQ(back.chunk.first, 4u);
  EXPECT_TRUE(back.outcomes.empty());
  EXPECT_FALSE(back.failed_task.has_value());
  EXPECT_TRUE(back.failure_message.empty());
}

TEST(ProtocolReply, ATruncatedMessageIsRejected) {
  std::vector<std::byte> bytes = pack_reply(ChunkReply{{0, 1}, {{0, 1, 0, 0, 0, 1}}, {}, {}, 0});
  bytes.resize(bytes.size() - 1);
  EXPECT_THROW(unpack_reply(bytes), std::runtime_error);
}

TEST(ProtocolTags, AreDistinct) {
  const std::vector<int> tags{kTagWork,    kTagDone,       kTagStop,
                              kTagResults, kTagTaskFailed, kTagFailureText};
  for (std::size_t i = 0; i < tags.size(); ++i) {
    for (std::size_t j = i + 1; j < tags.size(); ++j) EXPECT_NE(tags[i], tags[j]);
  }
}

TEST(ProtocolReply, CarriesTheChunkIndexAndEachTasksChunk) {
  // The master numbers chunks in dispatch order; each task's record says which chunk carried
  // it (TaskRecord::chunk, the `chunks` column).
  ChunkReply reply{
      {10, 2}, {{10, 7, 1, 0, 0.1, 0.2, 5, 0}, {11, 8, 1, 0, 0.2, 0.3, 5, 0}}, {}, {}, 0, 5};
  const ChunkReply back = unpack_reply(pack_reply(reply));
  EXPECT_EQ(back.chunk_index, 5u);
  ASSERT_EQ(back.outcomes.size(), 2u);
  EXPECT_EQ(back.outcomes[0].chunk, 5);
  EXPECT_EQ(back.outcomes[1].chunk, 5);
}
