/* What the C test drivers of the graph executor share: failing with a reason, reading a file, tensor sizes. Include
   it after the C runtime's headers. */
#ifndef MLFTOOLS_TESTS_DRIVER_SUPPORT_H_
#define MLFTOOLS_TESTS_DRIVER_SUPPORT_H_

static void fail(const char* what, const char* detail, int code) {
  fprintf(stderr, "FAILED: %s %s (%d)\n", what, detail, code);
  exit(3);
}

static char* read_file(const char* path, size_t* size) {
  FILE* file = fopen(path, "rb");
  if (file == NULL) fail("cannot open", path, 0);
  fseek(file, 0, SEEK_END);
  long length = ftell(file);
  fseek(file, 0, SEEK_SET);
  char* data = malloc((size_t)length + 1);
  if (data == NULL || fread(data, 1, (size_t)length, file) != (size_t)length) fail("cannot read", path, 0);
  fclose(file);
  data[length] = 0;
  *size = (size_t)length;
  return data;
}

static size_t tensor_bytes(const DLTensor* tensor) {
  size_t count = 1;
  for (int i = 0; i < tensor->ndim; i++) count *= (size_t)tensor->shape[i];
  return count * ((tensor->dtype.bits * tensor->dtype.lanes + 7) / 8);
}

static DLTensor* entry_tensor(TVMGraphExecutor* executor, uint32_t node, uint32_t index) {
  return &executor->data_entry[TVMGraphExecutor_GetEntryId(executor, node, index)].dl_tensor;
}

#endif
