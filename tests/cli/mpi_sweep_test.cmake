# The same sweep (and optimisation, below) with chainsim (threads) and with
# chainsim-mpi under mpirun must write the same bytes: a grid, a Latin hypercube, and a grid whose
# points read trace files (checked on the workers, recorded by rank 0). Run
# with 3 ranks or more, so that two workers share the runs.
# Run with: cmake -DCHAINSIM=<exe> -DCHAINSIM_MPI=<exe> -DMPIEXEC=<mpirun> -DRANKS=<n>
#                 -DWORK=<dir> -DSOURCE=<source dir> -P mpi_sweep_test.cmake
file(REMOVE_RECURSE "${WORK}")
set(grid sweep scenarios/serial_base_stock.yaml --param nodes.store.policy.S=20:40:5
    --param nodes.warehouse.policy.S=30,45 --set horizon=120 --replications 3 --quiet)
set(lhs sweep scenarios/serial_base_stock.yaml --design lhs --samples 12 --param nodes.store.policy.S=15:45
    --param nodes.store.demand.mean=8.0:12.0 --set horizon=120 --replications 2 --quiet)
# The serial chain with its store's demand read from a CSV beside it.
file(READ "${SOURCE}/scenarios/serial_base_stock.yaml" yaml)
string(REPLACE "demand: {type: poisson, mean: 10}" "demand: {type: trace, file: demand.csv}" yaml "${yaml}")
file(WRITE "${WORK}/model/chain.yaml" "${yaml}")
file(WRITE "${WORK}/model/demand.csv" "demand\n8\n12\n10\n9\n11\n")
file(WRITE "${WORK}/model/high.csv" "demand\n18\n22\n20\n")
set(trace sweep "${WORK}/model/chain.yaml" --param nodes.store.demand.file=demand.csv,high.csv
    --param nodes.store.policy.S=20,30 --set horizon=60 --replications 2 --quiet)
foreach(design grid lhs trace)
  execute_process(COMMAND "${CHAINSIM}" ${${design}} --jobs 2 --out "${WORK}/${design}_threads"
                  WORKING_DIRECTORY "${SOURCE}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "chainsim sweep (${design}) failed: ${rc}")
  endif()
  # As root in CI: Open MPI refuses root without --allow-run-as-root, and more
  # ranks than cores without --oversubscribe.
  execute_process(COMMAND "${MPIEXEC}" -n ${RANKS} --allow-run-as-root --oversubscribe
                          "${CHAINSIM_MPI}" ${${design}} --out "${WORK}/${design}_mpi"
                  WORKING_DIRECTORY "${SOURCE}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mpirun chainsim-mpi sweep (${design}) failed: ${rc}")
  endif()
  foreach(f sweep.csv sweep_summary.csv sweep.json sweep_model.json)
    execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${WORK}/${design}_threads/${f}"
                            "${WORK}/${design}_mpi/${f}" RESULT_VARIABLE same)
    if(NOT same EQUAL 0)
      message(FATAL_ERROR "${design}: ${f} differs between chainsim and chainsim-mpi with ${RANKS} ranks")
    endif()
  endforeach()
  if(design STREQUAL "trace")
    file(READ "${WORK}/trace_mpi/sweep.json" json)
    string(FIND "${json}" "\"file\": \"high.csv\"" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "trace: sweep.json of chainsim-mpi does not record high.csv among its inputs")
    endif()
  endif()
  message(STATUS "${design}: the same bytes with 2 threads and ${RANKS} MPI ranks")
endforeach()
# chainsim-mpi optimize: the same answer and trace as chainsim optimize with
# threads, for Kim-Nelson with a constraint and for COMPASS; and --resume.
set(kn optimize scenarios/serial_base_stock.yaml --vary nodes.store.policy.S=16:44:2
    --minimize network.total_cost --subject-to stock.store/widget.fill_rate>=0.99 --tolerance 0.002
    --indifference 100 --set horizon=200 --quiet)
set(compass optimize scenarios/serial_base_stock.yaml --vary nodes.store.policy.S=10:66:2
    --vary nodes.warehouse.policy.S=10:66:2 --minimize network.total_cost --indifference 100 --set horizon=200
    --quiet)
foreach(search kn compass)
  execute_process(COMMAND "${CHAINSIM}" ${${search}} --jobs 2 --out "${WORK}/${search}_threads"
                  WORKING_DIRECTORY "${SOURCE}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "chainsim optimize (${search}) failed: ${rc}")
  endif()
  execute_process(COMMAND "${MPIEXEC}" -n ${RANKS} --allow-run-as-root --oversubscribe
                          "${CHAINSIM_MPI}" ${${search}} --out "${WORK}/${search}_mpi"
                  WORKING_DIRECTORY "${SOURCE}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mpirun chainsim-mpi optimize (${search}) failed: ${rc}")
  endif()
  foreach(f optimize.csv optimize.json optimize.html)
    execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${WORK}/${search}_threads/${f}"
                            "${WORK}/${search}_mpi/${f}" RESULT_VARIABLE same)
    if(NOT same EQUAL 0)
      message(FATAL_ERROR "${search}: ${f} differs between chainsim and chainsim-mpi with ${RANKS} ranks")
    endif()
  endforeach()
  message(STATUS "optimize ${search}: the same bytes with 2 threads and ${RANKS} MPI ranks")
endforeach()
# Resumed under MPI from the first 40 runs of the COMPASS search.
file(STRINGS "${WORK}/compass_threads/optimize.csv" rows)
list(SUBLIST rows 0 41 first)
list(JOIN first "\n" cut)
file(WRITE "${WORK}/compass_mpi/optimize.csv" "${cut}\n")
execute_process(COMMAND "${MPIEXEC}" -n ${RANKS} --allow-run-as-root --oversubscribe
                        "${CHAINSIM_MPI}" ${compass} --out "${WORK}/compass_mpi" --resume
                WORKING_DIRECTORY "${SOURCE}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mpirun chainsim-mpi optimize --resume failed: ${rc}")
endif()
foreach(f optimize.csv optimize.json)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${WORK}/compass_threads/${f}"
                          "${WORK}/compass_mpi/${f}" RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    message(FATAL_ERROR "optimize --resume under MPI: ${f} differs from the uninterrupted search")
  endif()
endforeach()
message(STATUS "optimize --resume under MPI: the same bytes as the uninterrupted search")
file(REMOVE_RECURSE "${WORK}")
