CORE_SRCS += mm/page_alloc.c mm/kmem.c
TEST_SRCS += mm/page_alloc_test.c mm/kmem_test.c
KERNEL_SRCS += mm/heap.c mm/aspace.c mm/sys_mmap.c
KTEST_SRCS += mm/alloc_ktest.c
CORE_SRCS += mm/vma.c
TEST_SRCS += mm/vma_test.c
FUZZ_SRCS += mm/vma_fuzz.c
